import { spawn } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fileLayer } from '../../src/config/file-layer.js';
import { resolveConfig } from '../../src/config/resolve.js';
import { writeUserChoice } from '../../src/config/user-choice.js';
import { ROOT } from '../support/run-example.js';

const root = mkdtempSync(join(tmpdir(), 'optel-user-choice-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
/** A user config path under a config home that does not exist yet. */
const freshFile = () => join(root, `home${n++}`, 'config', 'todo', 'telemetry.json');
const read = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
const seed = (file: string, text: string) => {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
};

describe('writeUserChoice', () => {
  it('creates the file (and its directories), privately, with the choice and how it was made', () => {
    const file = freshFile();
    const before = Date.now();
    writeUserChoice(file, { metrics: false }, 'command');
    const json = read(file);
    expect(json).toEqual({ metrics: false, source: 'command', updatedAt: expect.any(String) });
    expect(Date.parse(json.updatedAt as string)).toBeGreaterThanOrEqual(before - 1000);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(dirname(file)).mode & 0o777).toBe(0o700);
    expect(readFileSync(file, 'utf8').endsWith('\n')).toBe(true);
    expect(readdirSync(dirname(file))).toEqual(['telemetry.json']);
  });

  it('keeps what the file says about the tiers it is not told about', () => {
    const file = freshFile();
    writeUserChoice(file, { metrics: true, events: true }, 'command');
    writeUserChoice(file, { events: false }, 'notice');
    expect(read(file)).toMatchObject({ metrics: true, events: false, source: 'notice' });
    expect(read(file)).not.toHaveProperty('traces');
  });

  it('keeps settings the user wrote by hand', () => {
    const file = freshFile();
    seed(file, JSON.stringify({ endpoint: 'https://mine.example.com', flush: 'daily', traces: true }));
    writeUserChoice(file, { metrics: false }, 'installer');
    expect(read(file)).toMatchObject({ endpoint: 'https://mine.example.com', flush: 'daily', traces: true, metrics: false, source: 'installer' });
  });

  it('ignores tiers given as undefined', () => {
    const file = freshFile();
    writeUserChoice(file, { metrics: true }, 'command');
    writeUserChoice(file, { metrics: undefined, events: true }, 'command');
    expect(read(file)).toMatchObject({ metrics: true, events: true });
  });

  it.each([
    ['malformed JSON', '{"metrics": '],
    ['a JSON array', '[1, 2]'],
    ['a JSON string', '"on"'],
    ['JSON null', 'null'],
  ])('replaces a file holding %s, keeping the other tiers off as the reader had them', (_, text) => {
    const file = freshFile();
    seed(file, text);
    writeUserChoice(file, { traces: true }, 'command');
    expect(read(file)).toEqual({ metrics: false, events: false, traces: true, source: 'command', updatedAt: expect.any(String) });
  });

  it('writes a file the user layer reads back as the same choice', () => {
    const file = freshFile();
    writeUserChoice(file, { metrics: false, events: true, traces: false }, 'command');
    expect(fileLayer('user', file)?.settings).toEqual({ metrics: false, events: true, traces: false });
  });

  it('drops a stale "enabled" key', () => {
    const file = freshFile();
    seed(file, JSON.stringify({ enabled: true, metrics: true }));
    writeUserChoice(file, { events: true }, 'command');
    expect(read(file)).not.toHaveProperty('enabled');
  });

  it('keeps an earlier "enabled: false" for the tiers it is not told about', () => {
    const file = freshFile();
    seed(file, JSON.stringify({ enabled: false }));
    writeUserChoice(file, { traces: true }, 'command');
    const user = fileLayer('user', file)!;
    const c = resolveConfig([user, { name: 'default', settings: { metrics: true, events: true, traces: false } }]);
    expect(c.tiers).toEqual({ metrics: false, events: false, traces: true });
  });

  it('keeps an earlier "enabled: false" over a tier the same file turned on, as the reader had it', () => {
    const file = freshFile();
    seed(file, JSON.stringify({ enabled: false, metrics: true }));
    const defaults = { name: 'default' as const, settings: { metrics: true, events: true, traces: false } };
    expect(resolveConfig([fileLayer('user', file)!, defaults]).tiers).toEqual({ metrics: false, events: false, traces: false });
    writeUserChoice(file, { traces: true }, 'command');
    expect(resolveConfig([fileLayer('user', file)!, defaults]).tiers).toEqual({ metrics: false, events: false, traces: true });
  });

  it.each(['{"enabled": false, "source": "comm', '[]', '"off"'])('keeps every tier off after a change to one when the file was unusable (%s), as the reader had it', (text) => {
    const file = freshFile();
    seed(file, text);
    const defaults = { name: 'default' as const, settings: { metrics: true, events: true, traces: false } };
    expect(resolveConfig([fileLayer('user', file, undefined, true)!, defaults]).tiers).toEqual({ metrics: false, events: false, traces: false });
    writeUserChoice(file, { events: false }, 'command');
    expect(resolveConfig([fileLayer('user', file, undefined, true)!, defaults]).tiers).toEqual({ metrics: false, events: false, traces: false });
    writeUserChoice(file, { metrics: true }, 'command');
    expect(resolveConfig([fileLayer('user', file, undefined, true)!, defaults]).tiers).toEqual({ metrics: true, events: false, traces: false });
  });

  it.each(['false', 0, 'OFF', 'no', ' disabled '])('keeps an earlier "enabled: %s" too, in every spelling the reader takes', (enabled) => {
    const file = freshFile();
    seed(file, JSON.stringify({ enabled }));
    writeUserChoice(file, { traces: false }, 'command');
    const user = fileLayer('user', file)!;
    const c = resolveConfig([user, { name: 'default', settings: { metrics: true, events: true, traces: false } }]);
    expect(c.tiers).toEqual({ metrics: false, events: false, traces: false });
  });

  it('writes through a settings file that is a link (into a dotfiles repository) to its target, keeping the link', () => {
    const file = freshFile();
    const target = join(dirname(file), '..', '..', 'dotfiles', 't.json');
    seed(target, JSON.stringify({ events: true }));
    mkdirSync(dirname(file), { recursive: true });
    symlinkSync('../../dotfiles/t.json', file);
    writeUserChoice(file, { metrics: false }, 'command');
    expect(lstatSync(file).isSymbolicLink()).toBe(true);
    expect(readlinkSync(file)).toBe('../../dotfiles/t.json');
    expect(read(target)).toMatchObject({ events: true, metrics: false, source: 'command' });
    expect(readdirSync(dirname(target))).toEqual(['t.json']);
  });

  it('writes a link to nothing through to its target when the directory it points into exists', () => {
    const file = freshFile();
    const dotfiles = join(dirname(file), '..', '..', 'dotfiles');
    mkdirSync(dotfiles, { recursive: true });
    mkdirSync(dirname(file), { recursive: true });
    symlinkSync(join(dotfiles, 't.json'), file);
    writeUserChoice(file, { events: false }, 'command');
    expect(lstatSync(file).isSymbolicLink()).toBe(true);
    expect(read(join(dotfiles, 't.json'))).toMatchObject({ metrics: false, events: false, traces: false });
  });

  it('replaces a link to nothing with the file when the directory it points into is gone too', () => {
    const file = freshFile();
    mkdirSync(dirname(file), { recursive: true });
    symlinkSync(join(root, 'no-such-dotfiles', 't.json'), file);
    writeUserChoice(file, { metrics: true }, 'command');
    expect(lstatSync(file).isFile()).toBe(true);
    expect(fileLayer('user', file, undefined, true)?.settings).toEqual({ metrics: true, events: false, traces: false });
    expect(existsSync(join(root, 'no-such-dotfiles'))).toBe(false);
  });

  it('replaces a link into a place it cannot write (a read-only store) with the file: the choice, off above all, must stick', () => {
    const file = freshFile();
    mkdirSync(dirname(file), { recursive: true });
    // /sys takes no new file, even from root (EACCES, or EROFS mounted read-only): what a link into a read-only Nix store meets.
    symlinkSync('/sys/optel-telemetry.json', file);
    writeUserChoice(file, { metrics: false, events: false }, 'command');
    expect(lstatSync(file).isFile()).toBe(true);
    expect(fileLayer('user', file, undefined, true)?.settings).toMatchObject({ metrics: false, events: false });
  });

  it('keeps the link, and says the choice was not saved, when its target fails for another reason (no such directory any more)', () => {
    const file = freshFile();
    mkdirSync(dirname(file), { recursive: true });
    // The directory the link points into exists when the target is worked out, not when it is written.
    symlinkSync('/proc/optel-telemetry.json', file);
    expect(() => writeUserChoice(file, { metrics: false }, 'command')).toThrow(/ENOENT/);
    expect(lstatSync(file).isSymbolicLink()).toBe(true);
  });

  it('drops the keys the reader does not know, so an explicit choice mends a typo that kept every tier off', () => {
    const file = freshFile();
    seed(file, JSON.stringify({ metric: true, exporters: { metrics: 'otlp', log: 'none' } }));
    expect(fileLayer('user', file, undefined, true)?.settings).toEqual({ metrics: false, events: false, traces: false });
    writeUserChoice(file, { metrics: true }, 'command');
    // The tiers it does not name stay off, as the reader had them.
    expect(read(file)).toEqual({ exporters: { metrics: 'otlp' }, metrics: true, events: false, traces: false, source: 'command', updatedAt: expect.any(String) });
    expect(fileLayer('user', file, undefined, true)?.settings).toEqual({ metrics: true, events: false, traces: false, exporters: { metrics: 'otlp' } });
  });

  it('keeps every process\'s change when several change different tiers at once', async () => {
    const file = freshFile();
    seed(file, JSON.stringify({ metrics: true, events: true, traces: true }));
    const module = join(ROOT, 'dist', 'config', 'user-choice.js');
    // Each flips its own tier 61 times, ending on false.
    const script = 'const { writeUserChoice } = await import(process.argv[1]); for (let i = 0; i <= 60; i++) writeUserChoice(process.argv[2], { [process.argv[3]]: i % 2 === 1 }, "command");';
    const runs = ['metrics', 'events', 'traces'].map((tier) => new Promise<number | null>((resolve) => {
      spawn(process.execPath, ['--input-type=module', '-e', script, module, file, tier], { stdio: 'ignore' }).once('exit', resolve);
    }));
    expect(await Promise.all(runs)).toEqual([0, 0, 0]);
    expect(read(file)).toMatchObject({ metrics: false, events: false, traces: false });
    expect(existsSync(`${file}.lock`)).toBe(false);
  });
});
