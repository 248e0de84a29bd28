// One telemetry client for the whole CLI: metrics on by default, events and traces opt-in.
import { createTelemetry } from 'optel';
import { existsSync } from 'node:fs';
import { catalog, defaults } from './catalog.mjs';

const SYSTEM_POLICY = '/etc/todo/telemetry.json';

export const telemetry = createTelemetry({
  catalog,
  version: '1.4.2',
  defaults: { ...defaults, endpoint: 'http://127.0.0.1:4318' },
  notice: { docsUrl: 'https://example.com/todo/TELEMETRY.md' },
  // Lets tests point the admin policy somewhere writable — only where no real policy exists, so an
  // environment variable can never move an administrator's policy out of the way. A real app keeps
  // /etc/todo/telemetry.json and has no such hook.
  paths: process.env.TODO_TELEMETRY_POLICY_FILE && !existsSync(SYSTEM_POLICY) ? { policyFile: process.env.TODO_TELEMETRY_POLICY_FILE } : {},
});
