import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTaskMessageQueue, InMemoryTaskStore } from '@modelcontextprotocol/sdk/experimental/tasks/stores/in-memory.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { CallToolRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { ATTR_GEN_AI_TOOL_NAME as OTEL_GEN_AI_TOOL_NAME } from '@opentelemetry/semantic-conventions/incubating';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { ATTR_GEN_AI_TOOL_NAME, instrumentMcpServer, mcpAttributes } from '../../src/integrations/mcp.js';
import { attr, createTelemetry, defineCatalog } from '../../src/index.js';

const catalog = defineCatalog({
  app: 'kb',
  events: {
    'kb.mcp.tool_called': {
      description: 'A tool was called.',
      duration: true,
      attributes: mcpAttributes({ tools: ['search', 'wait'], clients: ['claude-ai', 'other'], errorTypes: ['IndexMissingError'] }),
    },
    'kb.mcp.tool_used': {
      description: 'A tool was called (names only).',
      duration: true,
      attributes: { 'gen_ai.tool.name': attr.enum(['search']) },
    },
  },
});

type Record = { name: string; attrs: { [k: string]: unknown }; extra?: { [k: string]: unknown }; duration?: number };

/** A telemetry client in debug mode, events on, whose stderr (every record, every diag line) is captured. */
function debugTelemetry(env: { [k: string]: string } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'optel-mcp-'));
  const lines: string[] = [];
  const telemetry = createTelemetry({
    catalog,
    version: '1.0.0',
    env: { KB_TELEMETRY_DEBUG: '1', KB_TELEMETRY_EVENTS: 'on', ...env },
    cwd: dir,
    paths: { configHome: join(dir, 'config'), stateHome: join(dir, 'state'), policyFile: join(dir, 'policy.json') },
    stderr: (text) => lines.push(text),
  });
  const records = () =>
    lines.filter((l) => l.startsWith('[kb telemetry] {')).map((l) => JSON.parse(l.slice('[kb telemetry] '.length)) as Record);
  const diag = () => lines.filter((l) => l.startsWith('[kb telemetry] optel:'));
  return { telemetry, records, diag };
}

class IndexMissingError extends Error {
  override name = 'IndexMissingError';
}

/** Connects an SDK client named `name` to `server` over the SDK's in-memory transport pair. */
async function connect(server: McpServer | Server, name = 'claude-ai') {
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const client = new Client({ name, version: '0.9.1' });
  await client.connect(clientSide);
  return { client, clientSide };
}

/** A client that writes raw JSON-RPC, as a client with its own id scheme would; `replies` resolves once `count` replies arrived. */
async function rawClient(server: McpServer | Server) {
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const received: { id?: unknown; result?: { task?: unknown }; error?: unknown }[] = [];
  clientSide.onmessage = (message) => received.push(message as never);
  await clientSide.start();
  const send = (message: object) => clientSide.send({ jsonrpc: '2.0', ...message } as never);
  await send({ id: 0, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'claude-ai', version: '1.0.0' } } });
  await send({ method: 'notifications/initialized' });
  const replies = async (count: number) => {
    while (received.filter((m) => 'result' in m || 'error' in m).length < count + 1) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setImmediate(r));
    return received.slice(1);
  };
  return { send, replies };
}

const text = (value: string) => ({ content: [{ type: 'text' as const, text: value }] });

describe('instrumentMcpServer with an McpServer', () => {
  it('records a call only after its reply has been handed to the transport', async () => {
    const { telemetry, records } = debugTelemetry();
    const server = instrumentMcpServer(new McpServer({ name: 'kb', version: '1.0.0' }), telemetry, { event: 'kb.mcp.tool_called' });
    server.registerTool('search', { inputSchema: { query: z.string() } }, () => text('found'));
    const { client, clientSide } = await connect(server);
    const seenWhenReplied: number[] = [];
    const onmessage = clientSide.onmessage!;
    clientSide.onmessage = (message, extra) => {
      if ('result' in message) seenWhenReplied.push(records().length);
      onmessage(message, extra);
    };

    await client.callTool({ name: 'search', arguments: { query: 'q' } });
    await new Promise((r) => setImmediate(r));
    expect(seenWhenReplied).toEqual([0]);
    expect(records()).toHaveLength(1);
    expect(records()[0]).toMatchObject({
      name: 'kb.mcp.tool_called',
      attrs: { 'gen_ai.tool.name': 'search', 'mcp.client.name': 'claude-ai', success: true },
      extra: { 'mcp.client.version': '0.9.1' },
    });
    expect(records()[0]!.duration).toBeGreaterThanOrEqual(0);
  });

  it('tells a thrown class, an isError result, a refused call and an unknown client apart', async () => {
    const { telemetry, records } = debugTelemetry();
    const server = instrumentMcpServer(new McpServer({ name: 'kb', version: '1.0.0' }), telemetry, { event: 'kb.mcp.tool_called' });
    const search = server.registerTool('search', { inputSchema: { query: z.string() } }, ({ query }) =>
      query === 'none' ? { ...text('nothing'), isError: true } : text('found'));
    // A callback swapped in later is watched the same way.
    search.update({ callback: async () => { throw new IndexMissingError('no index at /srv/kb'); } });
    const { client } = await connect(server, 'home-made (bob)');

    await client.callTool({ name: 'search', arguments: { query: 'x' } });
    await client.callTool({ name: 'search', arguments: { query: 42 } });
    await client.callTool({ name: 'drop_tables', arguments: {} });
    search.update({ callback: (args) => (args.query === 'none' ? { ...text('nothing'), isError: true } : text('found')) });
    await client.callTool({ name: 'search', arguments: { query: 'none' } });
    await new Promise((r) => setImmediate(r));

    expect(records().map((r) => r.attrs)).toEqual([
      { 'gen_ai.tool.name': 'search', 'mcp.client.name': 'other', success: false, 'error.type': 'IndexMissingError' },
      { 'gen_ai.tool.name': 'search', 'mcp.client.name': 'other', success: false, 'error.type': 'McpError' },
      { 'gen_ai.tool.name': '_OTHER', 'mcp.client.name': 'other', success: false, 'error.type': 'McpError' },
      { 'gen_ai.tool.name': 'search', 'mcp.client.name': 'other', success: false, 'error.type': 'ToolError' },
    ]);
  });

  it('counts a call the client cancels once, as an AbortError', async () => {
    const { telemetry, records } = debugTelemetry();
    const server = instrumentMcpServer(new McpServer({ name: 'kb', version: '1.0.0' }), telemetry, { event: 'kb.mcp.tool_called' });
    let started!: () => void;
    const running = new Promise<void>((r) => (started = r));
    server.registerTool('wait', {}, (extra) => {
      started();
      return new Promise((resolve) => extra.signal.addEventListener('abort', () => resolve(text('too late'))));
    });
    const { client } = await connect(server);
    const abort = new AbortController();
    const call = client.callTool({ name: 'wait', arguments: {} }, undefined, { signal: abort.signal });
    await running;
    abort.abort('user pressed Esc');
    await expect(call).rejects.toThrow();
    await new Promise((r) => setTimeout(r, 20));
    expect(records().map((r) => r.attrs)).toEqual([
      { 'gen_ai.tool.name': 'wait', 'mcp.client.name': 'claude-ai', success: false, 'error.type': 'AbortError' },
    ]);
  });

  it('fills in only the attributes the event declares', async () => {
    const { telemetry, records, diag } = debugTelemetry();
    const server = instrumentMcpServer(new McpServer({ name: 'kb', version: '1.0.0' }), telemetry, { event: 'kb.mcp.tool_used' });
    server.registerTool('search', {}, () => text('found'));
    const { client } = await connect(server);
    await client.callTool({ name: 'search', arguments: {} });
    await new Promise((r) => setImmediate(r));
    expect(records().map((r) => r.attrs)).toEqual([{ 'gen_ai.tool.name': 'search' }]);
    expect(diag()).toEqual([]);
  });

  it('still counts tools registered before it, says so, and records their failures without a class', async () => {
    const { telemetry, records, diag } = debugTelemetry();
    const server = new McpServer({ name: 'kb', version: '1.0.0' });
    server.registerTool('search', {}, () => { throw new IndexMissingError('gone'); });
    instrumentMcpServer(server, telemetry, { event: 'kb.mcp.tool_called' });
    expect(diag().join('')).toContain('tools were registered before it');
    const { client } = await connect(server);
    await client.callTool({ name: 'search', arguments: {} });
    await new Promise((r) => setImmediate(r));
    expect(records().map((r) => r.attrs['error.type'])).toEqual(['ToolError']);
  });

  it('counts each call once even when a server is instrumented twice', async () => {
    const { telemetry, records } = debugTelemetry();
    const server = new McpServer({ name: 'kb', version: '1.0.0' });
    instrumentMcpServer(server, telemetry, { event: 'kb.mcp.tool_called' });
    instrumentMcpServer(server, telemetry, { event: 'kb.mcp.tool_called' });
    server.registerTool('search', {}, () => text('found'));
    const { client } = await connect(server);
    await client.callTool({ name: 'search', arguments: {} });
    await new Promise((r) => setImmediate(r));
    expect(records()).toHaveLength(1);
  });

  it('records no call whose request id the client reused while it was in flight, and says so once', async () => {
    const { telemetry, records, diag } = debugTelemetry();
    const server = instrumentMcpServer(new McpServer({ name: 'kb', version: '1.0.0' }), telemetry, { event: 'kb.mcp.tool_called' });
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    server.registerTool('wait', {}, async () => {
      await released;
      throw new IndexMissingError('late');
    });
    server.registerTool('search', {}, () => text('found'));
    const { send, replies } = await rawClient(server);

    // A ping reusing a tool call's id is answered first: its reply is not the tool call's.
    await send({ id: 7, method: 'tools/call', params: { name: 'wait', arguments: {} } });
    await send({ id: 7, method: 'ping' });
    await replies(1);
    // Two tool calls with one id: neither reply can be told apart.
    await send({ id: 'a', method: 'tools/call', params: { name: 'wait', arguments: {} } });
    await send({ id: 'a', method: 'tools/call', params: { name: 'search', arguments: {} } });
    await replies(2);
    release();
    await replies(4);
    expect(records()).toEqual([]);
    expect(diag().filter((l) => l.includes('reused the id'))).toHaveLength(1);

    // Once every request with the id is answered, the id is free again.
    await send({ id: 7, method: 'tools/call', params: { name: 'search', arguments: {} } });
    await replies(5);
    expect(records().map((r) => r.attrs)).toEqual([{ 'gen_ai.tool.name': 'search', 'mcp.client.name': 'claude-ai', success: true }]);
  });

  it('records no task-augmented call, whose reply only says a task was created', async () => {
    const { telemetry, records, diag } = debugTelemetry();
    const server = instrumentMcpServer(
      new McpServer({ name: 'kb', version: '1.0.0' }, {
        capabilities: { tasks: { requests: { tools: { call: {} } } } },
        taskStore: new InMemoryTaskStore(),
        taskMessageQueue: new InMemoryTaskMessageQueue(),
      }),
      telemetry,
      { event: 'kb.mcp.tool_called' },
    );
    server.experimental.tasks.registerToolTask('wait', {}, {
      async createTask({ taskStore, taskRequestedTtl }) {
        const task = await taskStore.createTask({ ttl: taskRequestedTtl });
        // The task fails later, long after the call was answered.
        setTimeout(() => void taskStore.storeTaskResult(task.taskId, 'failed', { ...text('boom'), isError: true }), 20);
        return { task };
      },
      getTask: async ({ taskId, taskStore }) => (await taskStore.getTask(taskId))!,
      getTaskResult: async ({ taskId, taskStore }) => (await taskStore.getTaskResult(taskId)) as never,
    });
    server.registerTool('search', {}, () => text('found'));
    const { send, replies } = await rawClient(server);

    await send({ id: 1, method: 'tools/call', params: { name: 'wait', arguments: {}, task: { ttl: 60_000 } } });
    await send({ id: 2, method: 'tools/call', params: { name: 'search', arguments: {} } });
    const [created] = await replies(2);
    expect(created!.result!.task).toMatchObject({ status: 'working' });
    await new Promise((r) => setTimeout(r, 50));
    expect(records().map((r) => r.attrs['gen_ai.tool.name'])).toEqual(['search']);
    expect(diag().join('')).toContain('task-augmented tool calls are not recorded');
  });

  it('leaves a frozen server, or a proxy that refuses a change, as it was and throws nothing', async () => {
    const { telemetry, records, diag } = debugTelemetry();
    const frozen = Object.freeze(new McpServer({ name: 'kb', version: '1.0.0' }));
    expect(instrumentMcpServer(frozen, telemetry, { event: 'kb.mcp.tool_called' })).toBe(frozen);
    // McpServer itself frozen: the low-level server it holds was marked first, and that is undone.
    expect(Object.getOwnPropertySymbols(frozen.server)).toEqual([]);
    expect(Object.hasOwn(frozen.server, 'connect')).toBe(false);
    const frozenLow = new McpServer({ name: 'kb', version: '1.0.0' });
    Object.freeze(frozenLow.server);
    expect(instrumentMcpServer(frozenLow, telemetry, { event: 'kb.mcp.tool_called' })).toBe(frozenLow);
    expect(Object.hasOwn(frozenLow, 'registerTool')).toBe(false);

    const target = new McpServer({ name: 'kb', version: '1.0.0' });
    const proxy = new Proxy(target, { set: () => { throw new Error('read-only'); } });
    expect(instrumentMcpServer(proxy, telemetry, { event: 'kb.mcp.tool_called' })).toBe(proxy);
    expect(diag().filter((l) => l.includes('left uninstrumented'))).toHaveLength(3);
    // Nothing was left half-done: the unproxied server is instrumented as if for the first time.
    instrumentMcpServer(target, telemetry, { event: 'kb.mcp.tool_called' });
    target.registerTool('search', {}, () => text('found'));
    const { client } = await connect(target);
    await client.callTool({ name: 'search', arguments: {} });
    await new Promise((r) => setImmediate(r));
    expect(records()).toHaveLength(1);
    expect(diag().join('')).not.toContain('already instrumented');
  });

  it('leaves the server untouched when telemetry is off', () => {
    const { telemetry } = debugTelemetry({ DO_NOT_TRACK: '1' });
    const server = new McpServer({ name: 'kb', version: '1.0.0' });
    instrumentMcpServer(server, telemetry, { event: 'kb.mcp.tool_called' });
    expect(Object.hasOwn(server, 'registerTool')).toBe(false);
    expect(Object.hasOwn(server.server, 'connect')).toBe(false);
    // @ts-expect-error an event the catalog does not declare fails to compile
    instrumentMcpServer(server, telemetry, { event: 'kb.mcp.tool_calld' });
  });
});

describe('instrumentMcpServer with a low-level Server', () => {
  it('keeps the class of a thrown error answered as a JSON-RPC error, and counts isError results as ToolError', async () => {
    const { telemetry, records } = debugTelemetry();
    const server = new Server({ name: 'kb', version: '1.0.0' }, { capabilities: { tools: {} } });
    instrumentMcpServer(server, telemetry, { event: 'kb.mcp.tool_called' });
    server.setRequestHandler(CallToolRequestSchema, async (request) => {
      if (request.params.name === 'wait') return { ...text('busy'), isError: true };
      throw new TypeError('bad query');
    });
    const { client } = await connect(server);

    await expect(client.callTool({ name: 'search', arguments: {} })).rejects.toThrow('bad query');
    await client.callTool({ name: 'wait', arguments: {} });
    await new Promise((r) => setImmediate(r));
    expect(records().map((r) => [r.attrs['gen_ai.tool.name'], r.attrs['error.type']])).toEqual([['search', 'TypeError'], ['wait', 'ToolError']]);
  });
});

describe('mcpAttributes', () => {
  it('makes "other" the fallback bucket of clients, never a second value', () => {
    const attributes = mcpAttributes({ tools: ['a'], clients: ['other', 'cursor-vscode', 'cursor-vscode'] });
    expect(attributes['mcp.client.name']).toMatchObject({ values: ['cursor-vscode'], fallback: 'other' });
    expect(mcpAttributes({ tools: ['a'] })['mcp.client.name']).toMatchObject({ values: ['other'], fallback: 'other' });
    expect(attributes['mcp.client.version'].tier).toBe('events');
    expect(mcpAttributes({ tools: ['a'], clientVersionTier: 'metrics' })['mcp.client.version'].tier).toBe('metrics');
  });

  it('names the tool with the attribute of OpenTelemetry\'s MCP conventions', () => {
    expect(ATTR_GEN_AI_TOOL_NAME).toBe(OTEL_GEN_AI_TOOL_NAME);
  });
});
