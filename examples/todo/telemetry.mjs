// One telemetry client for the whole CLI: metrics on by default, events and traces opt-in.
import { createTelemetry } from 'optel';
import { lstatSync } from 'node:fs';
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
  paths: process.env.TODO_TELEMETRY_POLICY_FILE && !systemPolicyThere() ? { policyFile: process.env.TODO_TELEMETRY_POLICY_FILE } : {},
});

// Anything at the system path counts, a link to nothing or a file this user cannot read too (unlike
// existsSync): the library turns every tier off for those, and that must not be bypassed.
function systemPolicyThere() {
  try {
    lstatSync(SYSTEM_POLICY);
    return true;
  } catch (error) {
    return error.code !== 'ENOENT';
  }
}
