#!/usr/bin/env node
// An installer-style script: asks for telemetry consent once, on a terminal, then says it is done.
// Headless (piped, CI) it asks nothing and the first-run notice informs the user instead.
import { telemetry } from './telemetry.mjs';
import { askConsent } from 'optel';

await askConsent(telemetry, { default: 'yes', source: 'installer', docsUrl: 'https://example.com/todo/TELEMETRY.md' });

const { tiers } = telemetry.config;
console.log(`todo 1.4.2 installed (telemetry: metrics ${tiers.metrics ? 'on' : 'off'}, events ${tiers.events ? 'on' : 'off'})`);
