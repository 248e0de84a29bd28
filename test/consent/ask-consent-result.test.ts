// The promise askConsent keeps to its host, in-process with real files: what it resolves with, and
// that it never throws. Keys reach it through a stream that says it is a terminal.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { askConsent } from '../../src/consent/ask-consent.js';
import { createTelemetry } from '../../src/instruments/telemetry.js';
import { defineCatalog } from '../../src/semconv/index.js';

const catalog = defineCatalog({
  app: 'demo',
  events: { 'demo.cli.invoked': { description: 'A demo command ran.', duration: true } },
});

function setup(env: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'optel-consent-'));
  const paths = { configHome: join(dir, 'config'), stateHome: join(dir, 'state'), policyFile: join(dir, 'policy.json') };
  const telemetry = createTelemetry({ catalog, version: '1.0.0', env, paths, stderr: () => {} });
  return { dir, telemetry, userFile: join(paths.configHome, 'demo', 'telemetry.json'), stateDir: join(paths.stateHome, 'demo', 'telemetry') };
}

/** A terminal-like pair of streams: keys typed into `input`, the screen collected from `output`. */
function tty() {
  const input = Object.assign(new PassThrough(), { isTTY: true });
  const output = Object.assign(new PassThrough(), { isTTY: true, columns: 80 });
  let screen = '';
  output.on('data', (d: Buffer) => (screen += d.toString()));
  return { input, output, screen: () => screen };
}

describe('askConsent, as its host sees it', () => {
  it('resolves not-a-tty without writing anything when the input is not a terminal', async () => {
    const { telemetry, userFile } = setup();
    const output = Object.assign(new PassThrough(), { isTTY: true });
    let written = '';
    output.on('data', (d: Buffer) => (written += d.toString()));
    const result = await askConsent(telemetry, { default: 'yes', source: 'installer', input: new PassThrough(), output, env: {} });
    expect(result).toEqual({ asked: false, reason: 'not-a-tty' });
    expect(written).toBe('');
    expect(existsSync(userFile)).toBe(false);
  });

  it('resolves disabled under a kill switch, and when the admin policy sets every asked tier', async () => {
    const killed = setup({ DO_NOT_TRACK: '1' });
    expect(await askConsent(killed.telemetry, { default: 'yes', source: 'installer', ...tty(), env: {} })).toEqual({ asked: false, reason: 'disabled' });
    const admin = setup();
    writeFileSync(join(admin.dir, 'policy.json'), JSON.stringify({ metrics: false, events: true }));
    expect(await askConsent(admin.telemetry, { default: 'yes', source: 'installer', ...tty(), env: {} })).toEqual({ asked: false, reason: 'disabled' });
  });

  it('asks only about the tiers the admin policy leaves open', async () => {
    const { dir, telemetry, userFile } = setup();
    writeFileSync(join(dir, 'policy.json'), JSON.stringify({ events: false }));
    const t = tty();
    const pending = askConsent(telemetry, { default: 'no', source: 'installer', ...t, env: {} });
    t.input.write('y\r');
    expect(await pending).toEqual({ asked: true, choice: { metrics: true } });
    expect(t.screen()).toContain('Send usage metrics to the demo authors? [y/N]');
    expect(JSON.parse(readFileSync(userFile, 'utf8'))).toMatchObject({ metrics: true, source: 'installer' });
  });

  it('resolves with the stored choice, traces included when the author asks for them', async () => {
    const { telemetry, userFile, stateDir } = setup();
    const t = tty();
    const pending = askConsent(telemetry, { default: 'no', source: 'notice', tiers: ['metrics', 'events', 'traces'], ...t, env: {} });
    t.input.write('yes\r');
    expect(await pending).toEqual({ asked: true, choice: { metrics: true, events: true, traces: true } });
    expect(JSON.parse(readFileSync(userFile, 'utf8'))).toMatchObject({ metrics: true, events: true, traces: true, source: 'notice' });
    expect(telemetry.config.tiers).toEqual({ metrics: true, events: true, traces: true });
    expect(existsSync(join(stateDir, 'notice-shown'))).toBe(true);
  });

  it('says what holds after the answer, and which variable keeps a tier the other way', async () => {
    const { telemetry, userFile } = setup({ DEMO_TELEMETRY_EVENTS: 'on' });
    const t = tty();
    const pending = askConsent(telemetry, { default: 'yes', source: 'installer', ...t, env: {} });
    t.input.write('n\r');
    expect(await pending).toEqual({ asked: true, choice: { metrics: false, events: false } });
    expect(JSON.parse(readFileSync(userFile, 'utf8'))).toMatchObject({ metrics: false, events: false });
    expect(t.screen()).toContain(
      'demo telemetry: metrics off, events on; `demo telemetry on` turns it on.\n' +
        'Saved, but this has no effect on events while DEMO_TELEMETRY_EVENTS turns it on.\n',
    );
  });

  it('resolves already-answered once the user file holds a choice', async () => {
    const { telemetry } = setup();
    telemetry.setConsent(false, 'command');
    expect(await askConsent(telemetry, { default: 'yes', source: 'installer', ...tty(), env: {} })).toEqual({ asked: false, reason: 'already-answered' });
  });

  it('treats CI as headless even on a terminal', async () => {
    const { telemetry } = setup();
    expect(await askConsent(telemetry, { default: 'yes', source: 'installer', ...tty(), env: { CI: 'true' } })).toEqual({ asked: false, reason: 'not-a-tty' });
  });

  it('resolves interrupted on Ctrl+C and stores nothing', async () => {
    const { telemetry, userFile } = setup();
    const t = tty();
    const pending = askConsent(telemetry, { default: 'yes', source: 'installer', ...t, env: {} });
    t.input.write('\x03');
    expect(await pending).toEqual({ asked: true, reason: 'interrupted' });
    expect(existsSync(userFile)).toBe(false);
  });

  it('resolves failed, never throws, when the answer cannot be stored', async () => {
    const { dir, telemetry } = setup();
    writeFileSync(join(dir, 'config'), 'a file where the config directory should be');
    const t = tty();
    const pending = askConsent(telemetry, { default: 'yes', source: 'installer', ...t, env: {} });
    t.input.write('\r');
    expect(await pending).toEqual({ asked: true, reason: 'failed' });
  });
});
