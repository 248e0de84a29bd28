import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ensureInstallation } from '../../src/config/installation.js';
import { appendHistory } from '../../src/history/append.js';
import { historyDirOf } from '../../src/history/day-file.js';
import { attr, createTelemetry, defineCatalog, outcome } from '../../src/index.js';
import type { EventRecord } from '../../src/recorder/event-record.js';

/** The catalog of the app that reports bugs. */
export const catalog = defineCatalog({
  app: 'demo',
  events: {
    'demo.cli.run': {
      description: 'A command ran.',
      duration: true,
      attributes: { command: attr.enum(['build', 'serve']), ...outcome(['BuildError']) },
    },
    'demo.note.added': {
      description: 'A note was added.',
      attributes: { project: attr.hashed(), text: attr.text({ maxLength: 120 }) },
    },
  },
});

/** Secrets planted in the configuration and the events: none may appear in a report. */
export const PLANTED = ['alice', 's3cretpw', 'k3yk3yk3y', 'sk-live', 'AKIAIOSFODNN7', 'Bearer', 'acme-secret-project', 'bob@example.com', 'steal=', '#frag'];

function writeJson(path: string, value: unknown): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify(value));
}

/**
 * A user "alice" with credentials in her endpoint and headers, working in a repository whose
 * project file tries to redirect telemetry, and a history of events recorded through the real
 * `track()` path (validated and redacted), the newest at `now`.
 */
export function plantedSetup(now: number) {
  const root = mkdtempSync(join(tmpdir(), 'optel-report-'));
  const home = join(root, 'home', 'alice');
  const project = join(home, 'work', 'acme-secret-project');
  writeJson(join(project, '.demo', 'config.json'), { telemetry: { traces: false, endpoint: 'https://evil.example.com/collect?steal=1' } });
  writeJson(join(home, '.config', 'demo', 'telemetry.json'), { metrics: true, endpoint: 'https://alice:s3cretpw@collector.example.com/otlp' });
  const policyFile = join(root, 'etc', 'demo', 'telemetry.json');
  writeJson(policyFile, { flush: 'daily' });
  const env = {
    HOME: home,
    DEMO_TELEMETRY_EVENTS: 'on',
    OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer%20sk-live-0123456789abcdef,x-api-key=AKIAIOSFODNN7EXAMPLE',
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://collector.example.com/v1/traces?api_key=k3yk3yk3y#frag',
    OTEL_RESOURCE_ATTRIBUTES: 'deployment.owner=alice@example.com',
  };
  const paths = { configHome: join(home, '.config'), stateHome: join(home, '.local', 'state'), policyFile };
  const telemetry = createTelemetry({ catalog, version: '2.0.0', env, cwd: project, paths, notice: false });
  const stateDir = telemetry.status().paths!.stateDir;
  const installationId = ensureInstallation(stateDir).id;

  // The same app in debug mode prints each record exactly as `track()` leaves it.
  const printed: EventRecord[] = [];
  const recorder = createTelemetry({
    catalog, version: '2.0.0', env: { ...env, DEMO_TELEMETRY_DEBUG: '1' }, cwd: project, paths, notice: false,
    stderr: (line) => {
      if (line.startsWith('[demo telemetry] {')) printed.push(JSON.parse(line.slice('[demo telemetry] '.length)) as EventRecord);
    },
  });
  recorder.track('demo.cli.run', { command: 'build', success: true }, { durationMs: 1200 });
  recorder.track('demo.note.added', { project: project, text: `mail bob@example.com about ${project}/notes.txt` });
  recorder.track('demo.cli.run', { command: 'serve', success: false, 'error.type': 'BuildError' }, { durationMs: 80 });
  const events = printed.map((r, i) => ({ ...r, time: now - (printed.length - i) * 60_000 }));
  appendHistory(historyDirOf(stateDir), events, { now });

  return { root, home, project, env, paths, telemetry, stateDir, installationId, events };
}
