import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ensureInstallation,
  markNoticeShown,
  noticeShown,
  readInstallation,
  resetInstallation,
  type Installation,
} from '../../src/config/installation.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const root = mkdtempSync(join(tmpdir(), 'optel-installation-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const freshStateDir = () => join(root, `home${n++}`, 'state', 'todo', 'telemetry');

describe('ensureInstallation', () => {
  it('creates a random id and salt on first use, in a private file', () => {
    const dir = freshStateDir();
    expect(readInstallation(dir)).toBeUndefined();
    const inst = ensureInstallation(dir);
    expect(inst.id).toMatch(UUID);
    expect(inst.salt).toMatch(/^[0-9a-f]{64}$/);
    expect(Number.isNaN(Date.parse(inst.createdAt))).toBe(false);
    expect(readInstallation(dir)).toEqual(inst);
    expect(JSON.parse(readFileSync(join(dir, 'installation.json'), 'utf8'))).toEqual(inst);
    expect(statSync(join(dir, 'installation.json')).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
  });

  it('returns the same installation every later time, leaving no temp files', () => {
    const dir = freshStateDir();
    const first = ensureInstallation(dir);
    for (let i = 0; i < 5; i++) expect(ensureInstallation(dir)).toEqual(first);
    expect(readdirSync(dir)).toEqual(['installation.json']);
  });

  it('differs between installations', () => {
    const a = ensureInstallation(freshStateDir());
    const b = ensureInstallation(freshStateDir());
    expect(a.id).not.toBe(b.id);
    expect(a.salt).not.toBe(b.salt);
  });

  it.each([
    ['malformed JSON', '{"id": '],
    ['a missing salt', JSON.stringify({ id: 'x' })],
    ['a salt too short to be secret', JSON.stringify({ id: 'x', salt: 'abc' })],
    ['a non-string id', JSON.stringify({ id: 7, salt: 'a'.repeat(64) })],
  ])('replaces a damaged file (%s) with a fresh installation', (_, text) => {
    const dir = freshStateDir();
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'installation.json'), text);
    expect(readInstallation(dir)).toBeUndefined();
    const inst = ensureInstallation(dir);
    expect(inst.id).toMatch(UUID);
    expect(readInstallation(dir)).toEqual(inst);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});

describe('resetInstallation', () => {
  it('replaces both the id and the salt, for good', () => {
    const dir = freshStateDir();
    const before = ensureInstallation(dir);
    const after = resetInstallation(dir);
    expect(after.id).toMatch(UUID);
    expect(after.id).not.toBe(before.id);
    expect(after.salt).not.toBe(before.salt);
    expect(ensureInstallation(dir)).toEqual(after);
    expect(readInstallation(dir)).toEqual(after);
  });

  it('works before any installation exists', () => {
    const dir = freshStateDir();
    const inst = resetInstallation(dir);
    expect(ensureInstallation(dir)).toEqual(inst);
  });
});

describe('the first-run notice marker', () => {
  it('is unset until marked, then stays set', () => {
    const dir = freshStateDir();
    expect(noticeShown(dir)).toBe(false);
    markNoticeShown(dir);
    expect(noticeShown(dir)).toBe(true);
    markNoticeShown(dir);
    expect(noticeShown(dir)).toBe(true);
  });

  it('never creates or writes a file through a symlink standing in its place', () => {
    const dir = freshStateDir();
    mkdirSync(dir, { recursive: true });
    const target = join(dirname(dir), 'planted-target');
    symlinkSync(target, join(dir, 'notice-shown'));
    expect(noticeShown(dir)).toBe(true);
    markNoticeShown(dir);
    expect(() => readFileSync(target)).toThrow();
  });
});

// ---- many processes at once ---------------------------------------------------------------------

const srcDir = fileURLToPath(new URL('../../src/', import.meta.url));
const nodeModules = fileURLToPath(new URL('../../node_modules', import.meta.url));
let build: string;

/** Transpiles the real sources (types stripped, nothing else changed) so plain `node` can run them. */
function transpileSources(out: string): void {
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) {
        const js = ts.transpileModule(readFileSync(path, 'utf8'), {
          compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: false },
          fileName: path,
        }).outputText;
        const target = join(out, 'src', relative(srcDir, path)).replace(/\.ts$/, '.js');
        mkdirSync(dirname(target), { recursive: true });
        writeFileSync(target, js);
      }
    }
  };
  walk(srcDir);
  writeFileSync(join(out, 'package.json'), '{"type":"module"}');
  symlinkSync(nodeModules, join(out, 'node_modules'), 'dir');
  writeFileSync(
    join(out, 'child.mjs'),
    `import { existsSync } from 'node:fs';
import { ensureInstallation } from './src/config/installation.js';
const [stateDir, go] = process.argv.slice(2);
process.stdout.write('ready\\n');
const sleeper = new Int32Array(new SharedArrayBuffer(4));
while (!existsSync(go)) Atomics.wait(sleeper, 0, 0, 1);
process.stdout.write(JSON.stringify(ensureInstallation(stateDir)) + '\\n');
`,
  );
}

/** Starts `count` processes, releases them at once, and returns what each one got. */
async function race(stateDir: string, count: number): Promise<Installation[]> {
  const go = join(dirname(stateDir), `go-${n++}`);
  let ready = 0;
  let release!: () => void;
  const allReady = new Promise<void>((resolve) => (release = resolve));
  const results = Array.from({ length: count }, () => {
    const child = spawn(process.execPath, [join(build, 'child.mjs'), stateDir, go], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      if (!out.includes('ready\n') && (out + chunk).includes('ready\n') && ++ready === count) release();
      out += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    return new Promise<Installation>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code) => {
        if (code !== 0) return reject(new Error(`child exited ${code}: ${err}`));
        resolve(JSON.parse(out.split('\n')[1]!) as Installation);
      });
    });
  });
  await allReady;
  mkdirSync(dirname(go), { recursive: true });
  writeFileSync(go, '');
  return Promise.all(results);
}

describe('ensureInstallation across processes', () => {
  beforeAll(() => {
    build = mkdtempSync(join(root, 'build-'));
    transpileSources(build);
  });

  it('gives every process started at the same moment one and the same identity', async () => {
    for (let round = 0; round < 4; round++) {
      const dir = freshStateDir();
      const got = await race(dir, 6);
      const onDisk = readInstallation(dir)!;
      expect(onDisk.id).toMatch(UUID);
      for (const inst of got) expect(inst).toEqual(onDisk);
      expect(readdirSync(dir)).toEqual(['installation.json']);
    }
  }, 60_000);

  it('keeps an existing identity when many processes start at once', async () => {
    const dir = freshStateDir();
    const existing = ensureInstallation(dir);
    const got = await race(dir, 6);
    for (const inst of got) expect(inst).toEqual(existing);
  }, 60_000);
});
