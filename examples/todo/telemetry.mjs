// One telemetry client for the whole CLI: metrics on by default, events and traces opt-in.
import { createTelemetry } from 'optel';
import { catalog, defaults } from './catalog.mjs';

export const telemetry = createTelemetry({
  catalog,
  version: '1.4.2',
  defaults: { ...defaults, endpoint: 'http://127.0.0.1:4318' },
  notice: { docsUrl: 'https://example.com/todo/TELEMETRY.md' },
  // Lets tests point the admin policy somewhere writable; a real app keeps /etc/todo/telemetry.json.
  paths: process.env.TODO_TELEMETRY_POLICY_FILE ? { policyFile: process.env.TODO_TELEMETRY_POLICY_FILE } : {},
});
