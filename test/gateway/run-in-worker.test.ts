import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startReceiver, type OtlpReceiver } from '../support/otlp-receiver.js';
import { ROOT, runNode } from '../support/run-example.js';
import { counter, countPoint, metrics, post } from './fixtures.js';

const OPTEL = join(ROOT, 'dist', 'cli', 'main.js');
const CATALOG = join(ROOT, 'examples', 'todo', 'catalog.mjs');

let upstream: OtlpReceiver | undefined;
afterEach(async () => {
  await upstream?.close();
  upstream = undefined;
});

/** `optel gateway` as users start it: a real process, its server in a worker thread. */
function startCommand(args: readonly string[]) {
  const child = spawn(process.execPath, [OPTEL, 'gateway', '--catalog', CATALOG, '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d));
  child.stderr.on('data', (d: Buffer) => (err += d));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = new Promise<string>((resolve, reject) => {
    const check = () => {
      const found = /listening on (http:\/\/\S+?),/.exec(out)?.[1];
      if (found) resolve(found);
    };
    child.stdout.on('data', check);
    void exit.then(() => reject(new Error(`exited before listening: ${out}${err}`)));
  });
  url.catch(() => {}); // a test that expects the command to fail never awaits it
  return { child, url, exit, output: () => out, errors: () => err };
}

describe('optel gateway, the command', () => {
  it.each([['the default nursery', []], ["V8's own nursery", ['--young-generation', '0']]] as const)(
    'serves from its worker with %s, forwards, and stops on SIGTERM with its summary',
    async (_, flags) => {
      upstream = await startReceiver();
      const cmd = startCommand(['--upstream', upstream.url, ...flags]);
      const url = await cmd.url;
      const todo = metrics([counter('todo.list.viewed', [countPoint({ filter: 'all' })]), counter('todo.secret.kept', [countPoint({})])]);
      expect((await post(url, 'metrics', todo)).status).toBe(200);
      expect(upstream.requests).toHaveLength(1);
      cmd.child.kill('SIGTERM');
      expect(await cmd.exit).toBe(0);
      expect(cmd.output()).toContain('stopped; forwarded 1 items, rejected 1');
      expect(cmd.errors()).toBe('');
    },
  );

  it('exits 1 with the reason on stderr when it cannot start', async () => {
    const cmd = startCommand(['--upstream', 'ftp://collector']);
    expect(await cmd.exit).toBe(1);
    expect(cmd.errors()).toMatch(/^optel gateway: --upstream must be http/);
    expect(cmd.output()).toBe('');
  });

  it('refuses a nursery size that is not a whole number, in one line', async () => {
    const result = await runNode(OPTEL, ['gateway', '--catalog', CATALOG, '--upstream', 'http://127.0.0.1:9', '--young-generation', 'lots'], { env: {} });
    expect(result.code).not.toBe(0);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/young-generation.*whole number/);
  });
});
