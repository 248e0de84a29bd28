import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { JSONRPCMessageSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DURATION_BUCKETS_SECONDS } from '../../src/semconv/names.js';
import { startReceiver, type OtlpReceiver } from '../support/otlp-receiver.js';
import { cleanEnv, counterTotal, ROOT, settle, tempHome } from '../support/run-example.js';

const SERVER = join(ROOT, 'examples', 'mcp-server', 'server.mjs');
const EVENT = 'notes.mcp.tool_called';

/** One call of each kind: success, an `isError` result, a throwing tool, a tool the server lacks. */
const CALLS = [
  { name: 'add_note', arguments: { text: 'call alice@example.com about /home/alice/plan.txt' } },
  { name: 'read_note', arguments: { id: 42 } },
  { name: 'delete_note', arguments: { id: 42 } },
  { name: 'wipe_disk', arguments: {} },
];

/** What one client session with the example server left behind. */
interface Session {
  /** Every byte the server wrote to stdout, from spawn to exit. */
  readonly stdout: Buffer;
  readonly stderr: string;
  readonly code: number | null;
  /** How many messages the SDK client received. */
  readonly received: number;
  readonly results: unknown[];
}

/**
 * Spawns the example server, talks to it with the SDK's own `Client`, closes its stdin and waits for
 * it to exit, keeping a copy of every stdout byte. The SDK's stdio framing is symmetric, so its stdio
 * transport over the child's stdout/stdin is the client side of the pipe.
 */
async function session(env: Record<string, string>, clientInfo: { name: string; version: string }): Promise<Session> {
  const child = spawn(process.execPath, [SERVER], { env, cwd: env.HOME, stdio: ['pipe', 'pipe', 'pipe'] });
  const chunks: Buffer[] = [];
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));

  const transport = new StdioServerTransport(child.stdout, child.stdin);
  let received = 0;
  transport.onmessage = () => received++; // the SDK chains an existing onmessage before its own
  const client = new Client(clientInfo);
  await client.connect(transport);
  const results: unknown[] = [];
  for (const call of CALLS) results.push(await client.callTool(call));
  child.stdin.end(); // a stdio client ends a session by closing the server's stdin
  const code = await exited;
  await client.close();
  return { stdout: Buffer.concat(chunks), stderr, code, received, results };
}

/** Each stdout line, parsed; fails unless the stream is nothing but newline-framed JSON-RPC messages. */
function protocolLines(stdout: Buffer): unknown[] {
  const text = stdout.toString('utf8');
  expect(Buffer.from(text, 'utf8').equals(stdout)).toBe(true);
  expect(text.endsWith('\n')).toBe(true);
  return text.slice(0, -1).split('\n').map((line) => {
    const message: unknown = JSON.parse(line);
    expect(JSONRPCMessageSchema.safeParse(message).success).toBe(true);
    return message;
  });
}

let receiver: OtlpReceiver;
let home: string;
beforeEach(async () => {
  receiver = await startReceiver();
  home = tempHome();
});
afterEach(async () => {
  await receiver.close();
});

const toReceiver = (extra: Record<string, string> = {}) =>
  cleanEnv(home, { NOTES_TELEMETRY_FLUSH: 'immediate', OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, ...extra });

describe('a stdio MCP server instrumented with instrumentMcpServer', () => {
  it('keeps stdout exactly the protocol while every tool call is counted per tool, outcome and client', async () => {
    const run = await session(toReceiver({ NOTES_TELEMETRY_EVENTS: 'on' }), { name: 'claude-code', version: '2.1.3-beta.1+build.7' });
    expect(run.code).toBe(0);
    expect(protocolLines(run.stdout)).toHaveLength(run.received);
    expect(run.received).toBe(1 + CALLS.length); // the initialize result and one reply per call
    expect(run.stderr).toContain('notes collects anonymous usage counts and timings');

    await receiver.waitFor(() => counterTotal(receiver, `${EVENT}.count`) === CALLS.length);
    const calls = (where: Record<string, unknown>) =>
      counterTotal(receiver, `${EVENT}.count`, (a) => Object.entries(where).every(([k, v]) => a[k] === v));
    const client = { 'mcp.client.name': 'claude-code' };
    expect(calls({ ...client, 'gen_ai.tool.name': 'add_note', success: true })).toBe(1);
    expect(calls({ ...client, 'gen_ai.tool.name': 'read_note', success: false, 'error.type': 'ToolError' })).toBe(1);
    expect(calls({ ...client, 'gen_ai.tool.name': 'delete_note', success: false, 'error.type': 'NoteNotFoundError' })).toBe(1);
    expect(calls({ ...client, 'gen_ai.tool.name': '_OTHER', success: false, 'error.type': 'McpError' })).toBe(1);

    const histogram = receiver.metrics().find((m) => m.name === `${EVENT}.duration`)!;
    expect(histogram).toMatchObject({ unit: 's', kind: 'histogram' });
    expect(histogram.points.reduce((n, p) => n + (p.count ?? 0), 0)).toBe(CALLS.length);
    expect(histogram.points[0]!.explicitBounds).toEqual([...DURATION_BUCKETS_SECONDS]);
    // The version stays off the aggregates; per-call records carry it, reduced.
    expect(receiver.metrics().every((m) => m.points.every((p) => !('mcp.client.version' in p.attributes)))).toBe(true);
    await receiver.waitFor(() => receiver.logs().filter((l) => l.eventName === EVENT).length === CALLS.length);
    expect(receiver.logs().every((l) => l.attributes['mcp.client.version'] === '2.1.3-beta')).toBe(true);
    // Tool arguments never travel: not the text, not what is in it.
    expect(JSON.stringify(receiver.requests.map((r) => r.body))).not.toMatch(/alice|plan\.txt/);
  });

  it('counts a client it was not told about as "other", and never sends the name it gave', async () => {
    const run = await session(toReceiver({ NOTES_TELEMETRY_EVENTS: 'on' }), { name: 'jdoe-private-agent', version: '0.0.1' });
    expect(run.code).toBe(0);
    await receiver.waitFor(() => counterTotal(receiver, `${EVENT}.count`) === CALLS.length);
    expect(counterTotal(receiver, `${EVENT}.count`, (a) => a['mcp.client.name'] === 'other')).toBe(CALLS.length);
    await receiver.waitFor(() => receiver.logs().length === CALLS.length);
    expect(JSON.stringify(receiver.requests.map((r) => r.body))).not.toContain('jdoe');
  });

  it('speaks byte-for-byte the same protocol with DO_NOT_TRACK=1, and nothing arrives or is kept', async () => {
    const on = await session(toReceiver(), { name: 'claude-code', version: '2.1.3' });
    await receiver.waitFor(() => counterTotal(receiver, `${EVENT}.count`) === CALLS.length);

    const offHome = tempHome();
    const before = receiver.requests.length;
    const off = await session(
      cleanEnv(offHome, { NOTES_TELEMETRY_FLUSH: 'immediate', OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, DO_NOT_TRACK: '1' }),
      { name: 'claude-code', version: '2.1.3' },
    );
    expect(off.code).toBe(0);
    expect(off.stdout.equals(on.stdout)).toBe(true);
    expect(off.results).toEqual(on.results);
    expect(off.stderr).toBe('');
    await settle(1500);
    expect(receiver.requests.length).toBe(before);
    expect(existsSync(join(offHome, '.local', 'state', 'notes'))).toBe(false);
  });
});
