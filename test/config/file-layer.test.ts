import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { mirrorDiag } from '../../src/diag.js';
import { fileLayer, parseSettings, readJsonFile } from '../../src/config/file-layer.js';

const root = mkdtempSync(join(tmpdir(), 'optel-file-layer-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
afterEach(() => mirrorDiag(undefined));

let n = 0;
/** Writes `text` to a fresh file and returns its path. */
function file(text: string): string {
  const path = join(root, `f${n++}.json`);
  writeFileSync(path, text);
  return path;
}
function captureDiag(): string[] {
  const lines: string[] = [];
  mirrorDiag((line) => lines.push(line));
  return lines;
}

describe('readJsonFile', () => {
  it('reads a JSON file', () => {
    expect(readJsonFile(file('{"metrics": false}'))).toEqual({ json: { metrics: false } });
  });

  it('treats a missing file (or a missing parent) as absent, silently', () => {
    const lines = captureDiag();
    expect(readJsonFile(join(root, 'nope.json'))).toEqual({});
    expect(readJsonFile(join(file('{}'), 'child.json'))).toEqual({});
    expect(lines).toEqual([]);
  });

  it('reads only regular files up to 1 MiB: a FIFO, a device or a huge file is ignored with a warning, at once', () => {
    const lines = captureDiag();
    const fifo = join(root, 'fifo.json');
    execFileSync('mkfifo', [fifo]);
    const zero = join(root, 'zero.json');
    symlinkSync('/dev/zero', zero);
    const huge = file(`{"pad": "${'x'.repeat(1024 * 1024)}"}`);
    for (const path of [fifo, zero, huge]) expect(readJsonFile(path).json).toBeUndefined();
    expect(lines.filter((l) => l.includes('not a regular file'))).toHaveLength(2);
    expect(lines.filter((l) => l.includes('larger than 1048576 bytes'))).toHaveLength(1);
  });

  it('warns about malformed JSON, and says why it has no value', () => {
    const lines = captureDiag();
    const path = file('{"metrics": off}');
    expect(readJsonFile(path)).toEqual({ problem: 'not valid JSON' });
    expect(lines).toEqual([`optel: ${path} is not valid JSON; ignored`]);
  });

  it('warns about a directory where a file belongs, and says why it has no value', () => {
    const lines = captureDiag();
    const dir = join(root, 'a-directory.json');
    mkdirSync(dir);
    expect(readJsonFile(dir)).toEqual({ problem: 'not a regular file' });
    expect(lines).toEqual([`optel: ${dir} is not a regular file; ignored`]);
  });
});

describe('parseSettings', () => {
  it('reads every field it knows', () => {
    expect(
      parseSettings(
        {
          metrics: true,
          events: 'off',
          traces: 'on',
          flush: 'daily',
          debug: false,
          endpoint: 'https://otel.example.com',
          headers: { 'x-key': 'v' },
          protocol: 'http/json',
          timeoutMs: 5000,
          exporters: { metrics: 'console', logs: 'none', traces: 'otlp' },
        },
        'test',
      ).settings,
    ).toEqual({
      metrics: true,
      events: false,
      traces: true,
      flush: 'daily',
      debug: false,
      endpoint: 'https://otel.example.com',
      headers: { 'x-key': 'v' },
      protocol: 'http/json',
      timeoutMs: 5000,
      exporters: { metrics: 'console', logs: 'none', traces: 'otlp' },
    });
  });

  it('takes what the user-choice writer adds about the choice as known, saying nothing', () => {
    const lines = captureDiag();
    expect(parseSettings({ metrics: false, source: 'command', updatedAt: '2024-01-01T00:00:00.000Z' }, 'test')).toEqual({ settings: { metrics: false } });
    expect(lines).toEqual([]);
  });

  it.each([
    [{ metric: false, Events: false }, 'unknown keys "metric", "Events"'],
    [{ metrics: false, telemetry: { events: false } }, 'unknown key "telemetry"'],
    [{ exporters: { log: 'none' } }, 'unknown key "exporters.log"'],
  ])('turns every tier off for a key it does not know (%j), and says which', (value, problem) => {
    expect(parseSettings(value, 'test')).toEqual({ settings: { metrics: false, events: false, traces: false }, problem });
  });

  it.each([
    ['an array', [1, 2]],
    ['a string', 'on'],
    ['a number', 42],
    ['null', null],
    ['a boolean', true],
  ])('warns about, and ignores, %s where an object belongs', (_, value) => {
    const lines = captureDiag();
    expect(parseSettings(value, 'where')).toEqual({ settings: {} });
    expect(lines).toEqual(['optel: where: expected a JSON object; ignored']);
  });

  it('treats undefined as no opinion, silently', () => {
    const lines = captureDiag();
    expect(parseSettings(undefined, 'where')).toEqual({ settings: {} });
    expect(lines).toEqual([]);
  });

  it('skips each wrong field on its own, so one typo never voids the file', () => {
    const lines = captureDiag();
    const s = parseSettings(
      {
        metrics: 'maybe',
        events: true,
        traces: 7,
        flush: 'weekly',
        debug: 'loud',
        endpoint: 'not a url',
        headers: { a: 1 },
        protocol: 'grpc',
        timeoutMs: -1,
        exporters: { metrics: 'jaeger', logs: 'none' },
      },
      'cfg',
    ).settings;
    // A tier that is not on/off is off (someone meant to say something); other fields are skipped.
    expect(s).toEqual({ metrics: false, events: true, traces: false, exporters: { logs: 'none' } });
    expect(lines.length).toBe(9);
    for (const field of ['metrics', 'traces', 'flush', 'debug', 'endpoint', 'headers', 'protocol', 'timeoutMs', 'exporters.metrics']) {
      expect(lines.some((l) => l.startsWith(`optel: cfg: ${field}:`)), field).toBe(true);
    }
  });

  it('ignores exporters or headers that are not objects of strings', () => {
    expect(parseSettings({ exporters: ['none'], headers: 'a=b' }, 'cfg')).toEqual({ settings: {} });
    expect(parseSettings({ exporters: { metrics: 1 } }, 'cfg')).toEqual({ settings: {} });
  });

  it('expands enabled: false to every tier off', () => {
    expect(parseSettings({ enabled: false }, 'cfg').settings).toEqual({ metrics: false, events: false, traces: false });
    expect(parseSettings({ enabled: true }, 'cfg').settings).toEqual({});
  });

  it('lets enabled: false win over a tier turned on in the same file, saying so: the reading that collects less', () => {
    const lines = captureDiag();
    const off = { metrics: false, events: false, traces: false };
    expect(parseSettings({ enabled: false, metrics: true }, 'cfg').settings).toEqual(off);
    expect(parseSettings({ enabled: 'off', events: 'on' }, 'cfg').settings).toEqual(off);
    expect(parseSettings({ enabled: 'no', traces: true, metrics: false }, 'cfg').settings).toEqual(off);
    expect(lines).toEqual([
      'optel: cfg: metrics is on but enabled is off; taken as off',
      'optel: cfg: events is on but enabled is off; taken as off',
      'optel: cfg: traces is on but enabled is off; taken as off',
    ]);
  });

  it('accepts the usual spellings of a switch', () => {
    for (const on of [true, 'on', 'true', '1', 'yes', 'enabled', 1, ' ON ']) expect(parseSettings({ metrics: on }, 'cfg').settings.metrics, String(on)).toBe(true);
    for (const off of [false, 'off', 'false', '0', 'no', 'disabled', 0]) expect(parseSettings({ metrics: off }, 'cfg').settings.metrics, String(off)).toBe(false);
  });
});

describe('fileLayer', () => {
  it('names the layer and its origin after the file, stamped with the file\'s time', () => {
    const path = file('{"events": true}');
    expect(fileLayer('user', path)).toEqual({ name: 'user', settings: { events: true }, origin: path, stamp: statSync(path).mtimeMs });
  });

  it('is absent for a missing file, and for a malformed one but an admin policy', () => {
    expect(fileLayer('admin', join(root, 'missing.json'))).toBeUndefined();
    expect(fileLayer('user', file('{'))).toBeUndefined();
    expect(fileLayer('project', file(''))).toBeUndefined();
  });

  it('fails closed for an admin policy that exists but cannot be used: every tier off, and why', () => {
    for (const [text, why] of [['{"enabled": false,}', 'not valid JSON'], ['', 'not valid JSON'], ['[false]', 'not a JSON object']] as const) {
      const path = file(text);
      expect(fileLayer('admin', path, undefined, true)).toEqual({
        name: 'admin', settings: { metrics: false, events: false, traces: false }, origin: `${path} (${why}: every tier off until it is fixed)`,
      });
    }
    const dir = join(root, 'policy-dir.json');
    mkdirSync(dir);
    expect(fileLayer('admin', dir, undefined, true)?.settings).toEqual({ metrics: false, events: false, traces: false });
  });

  it('is present but empty for non-object JSON', () => {
    const path = file('[true]');
    expect(fileLayer('user', path)).toEqual({ name: 'user', settings: {}, origin: path });
    expect(fileLayer('user', file('null'))?.settings).toEqual({});
  });

  it('picks the settings object inside the file (a project’s telemetry key)', () => {
    const pick = (json: Record<string, unknown>) => json.telemetry;
    const path = file('{"db": "x.json", "telemetry": {"metrics": "off"}}');
    expect(fileLayer('project', path, pick)).toEqual({ name: 'project', settings: { metrics: false }, origin: path, stamp: statSync(path).mtimeMs });
    expect(fileLayer('project', file('{"db": "x.json"}'), pick)).toBeUndefined();
  });

  it('takes a project\'s `"telemetry": false` or "off" as every tier off, and anything else unclear as off too', () => {
    const pick = (json: Record<string, unknown>) => json.telemetry;
    const off = { metrics: false, events: false, traces: false };
    for (const value of ['false', '"off"', '" OFF "', '0']) expect(fileLayer('project', file(`{"telemetry": ${value}}`), pick, true)?.settings).toEqual(off);
    // On cannot turn anything on from a project: it says nothing.
    expect(fileLayer('project', file('{"telemetry": true}'), pick, true)?.settings).toEqual({});
    for (const value of ['"maybe"', '[]', '12']) {
      const path = file(`{"telemetry": ${value}}`);
      expect(fileLayer('project', path, pick, true)).toEqual({
        name: 'project', settings: off, origin: `${path} (neither an object nor on/off: every tier off until it is fixed)`,
      });
    }
  });
});
