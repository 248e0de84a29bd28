import { diagLog } from '../diag.js';
import type { Telemetry } from '../instruments/telemetry.js';
import { wiringProblem } from '../instruments/wiring-problem.js';
import type { Catalog, EventAttributes, TimedEventName } from '../semconv/catalog.js';
import { ATTR_GEN_AI_TOOL_NAME, ATTR_MCP_CLIENT_NAME, ATTR_MCP_CLIENT_VERSION } from './mcp-attributes.js';
import { createToolCallTracker, type McpTransportLike, type ToolCallOutcome, type ToolCallTracker } from './mcp-calls.js';

export {
  mcpAttributes, ATTR_GEN_AI_TOOL_NAME, ATTR_MCP_CLIENT_NAME, ATTR_MCP_CLIENT_VERSION, MCP_CLIENT_OTHER, MCP_TOOL_ERROR, MCP_ERROR,
} from './mcp-attributes.js';
export type { McpAttributeOptions } from './mcp-attributes.js';
export type { McpTransportLike } from './mcp-calls.js';

type AnyFunction = (...args: any[]) => unknown;

// Marks a server already instrumented, so a second call cannot count every tool call twice.
const INSTRUMENTED = Symbol.for('optel.mcp.instrumented');

/** The low-level `Server` of @modelcontextprotocol/sdk, as far as optel uses it (typed structurally). */
export interface McpProtocolServer {
  connect(transport: McpTransportLike): Promise<void>;
  readonly transport?: McpTransportLike | undefined;
  getClientVersion(): { name: string; version: string } | undefined;
  setRequestHandler(schema: any, handler: (request: any, extra: any) => any): void;
  assertCanSetRequestHandler?(method: string): void;
}

/** The SDK's recommended high-level `McpServer`, as far as optel uses it (typed structurally). */
export interface McpHighLevelServer {
  readonly server: McpProtocolServer;
  registerTool: AnyFunction;
  tool?: AnyFunction;
}

/** Either kind of MCP server. */
export type McpServerLike = McpHighLevelServer | McpProtocolServer;

/** How an MCP server is instrumented. */
export interface McpServerOptions<C extends Catalog, N extends TimedEventName<C>> {
  /** The timed event recorded once per tool call, e.g. `notes.mcp.tool_called` (see `mcpAttributes`). */
  readonly event: N;
  /** Attributes added to every call. */
  readonly attributes?: EventAttributes<C, N>;
}

function isProtocolServer(value: unknown): value is McpProtocolServer {
  const s = value as Partial<McpProtocolServer> | null;
  return typeof s === 'object' && s !== null && typeof s.connect === 'function' && typeof s.setRequestHandler === 'function';
}

function isHighLevel(server: McpServerLike): server is McpHighLevelServer {
  return typeof server === 'object' && server !== null && 'server' in server && isProtocolServer(server.server) && typeof (server as McpHighLevelServer).registerTool === 'function';
}

/** The tool callback is the last argument of `registerTool(name, config, cb)` and of every `tool(…)` form. */
function wrapToolCallback(tracker: ToolCallTracker, callback: unknown): unknown {
  if (typeof callback !== 'function') return callback;
  return function (this: unknown, ...args: unknown[]) {
    // The SDK passes `extra` (with the request id) last: `(args, extra)`, or `(extra)` without an input schema.
    const extra = args[args.length - 1] as { requestId?: unknown } | undefined;
    return tracker.guard(extra?.requestId, () => (callback as AnyFunction).apply(this, args));
  };
}

/** One property of the server that instrumenting replaces. */
type Patch = readonly [target: object, key: PropertyKey, value: unknown];

/** McpServer turns a thrown tool error into an `isError` result; wrapping the callbacks keeps its class. */
function toolRegistrationPatches(server: McpHighLevelServer, tracker: ToolCallTracker): Patch[] {
  const patches: Patch[] = [];
  for (const method of ['registerTool', 'tool'] as const) {
    const register = server[method];
    if (typeof register !== 'function') continue;
    patches.push([server, method, function (this: unknown, ...args: unknown[]) {
      if (args.length > 0) args[args.length - 1] = wrapToolCallback(tracker, args[args.length - 1]);
      const registered = register.apply(this, args) as { update?: AnyFunction } | undefined;
      const update = registered?.update;
      if (typeof update === 'function') {
        // `update({ callback })` swaps the handler: the new one is wrapped the same way.
        registered!.update = (changes: { callback?: unknown } | undefined) =>
          update.call(registered, changes?.callback === undefined ? changes : { ...changes, callback: wrapToolCallback(tracker, changes.callback) });
      }
      return registered;
    }]);
  }
  return patches;
}

/** A low-level server's `tools/call` handler is the tool code itself. */
function requestHandlerPatch(server: McpProtocolServer, tracker: ToolCallTracker): Patch {
  const setRequestHandler = server.setRequestHandler;
  return [server, 'setRequestHandler', function (this: unknown, schema: unknown, handler: (request: any, extra: any) => any) {
    const wrapped = function (this: unknown, request: { method?: unknown } | undefined, extra: { requestId?: unknown } | undefined) {
      if (request?.method !== 'tools/call') return handler.call(this, request, extra);
      return tracker.guard(extra?.requestId, () => handler.call(this, request, extra));
    };
    return setRequestHandler.call(this, schema, wrapped);
  }];
}

/** Sets every patch or none: a frozen server, or a proxy that refuses one, is left exactly as it was. */
function applyAll(patches: readonly Patch[]): boolean {
  const undo: (() => void)[] = [];
  try {
    for (const [target, key, value] of patches) {
      const own = Object.getOwnPropertyDescriptor(target, key);
      if (!Reflect.set(target, key, value)) throw new TypeError(`cannot set ${String(key)}`);
      undo.unshift(() => (own === undefined ? Reflect.deleteProperty(target, key) : Reflect.defineProperty(target, key, own)));
    }
    return true;
  } catch (error) {
    for (const restore of undo) {
      try {
        restore();
      } catch {
        // What cannot be undone was accepted a moment ago; the server must still get no exception.
      }
    }
    diagLog('warn', `instrumentMcpServer: the server cannot be changed (${(error as Error).message}); it is left uninstrumented`);
    return false;
  }
}

/**
 * Instruments an MCP server built on `@modelcontextprotocol/sdk` (an `McpServer`, as the SDK
 * recommends, or a low-level `Server`) with one call: every tool call records the timed `event` with
 * the tool's name, the connecting client's `clientInfo` name and version (from `initialize`),
 * `success` and a closed `error.type` (a thrown error's class, `ToolError` for an `isError` result,
 * `McpError` for a call the SDK refused, `AbortError` for a cancelled one). A call is recorded once
 * its reply has been handed to the transport, never before; only attributes the event declares are
 * filled in. Call it before `connect()` and before registering tools: a tool registered earlier is
 * still counted, but what it throws is then recorded without its class. Nothing is written anywhere
 * but through `telemetry`, nothing throws into the server, and when telemetry is off the server is
 * left untouched. Arguments that are not what the types say leave it untouched too, with a diag
 * warning, whatever the consent; so does a server that cannot be changed (frozen, or a proxy that
 * refuses a change). Not measured: a task-augmented call (the SDK's experimental tasks), whose reply
 * only says a task was created, and calls whose request id the client reused while one with that id
 * was still in flight.
 */
export function instrumentMcpServer<C extends Catalog, N extends TimedEventName<C>, S extends McpServerLike>(
  server: S,
  telemetry: Telemetry<C>,
  options: McpServerOptions<C, N>,
): S {
  const protocol = isHighLevel(server) ? server.server : isProtocolServer(server) ? server : undefined;
  const problem = protocol === undefined ? 'not a server from @modelcontextprotocol/sdk' : wiringProblem(telemetry, options);
  if (problem !== undefined || protocol === undefined) {
    diagLog('warn', `instrumentMcpServer(server, telemetry, { event }): ${problem}; the server is left as it is`);
    return server;
  }
  // Off is off (and stays off for the process): no wrapper runs on the protocol's path.
  if (!telemetry.config.enabled) return server;
  const marks = protocol as unknown as Record<symbol, boolean>;
  if (marks[INSTRUMENTED]) {
    diagLog('warn', 'instrumentMcpServer: this server is already instrumented');
    return server;
  }
  const rules = new Set(Object.keys(telemetry.catalog.events[options.event]?.attributes ?? {}));

  const record = (call: ToolCallOutcome) => {
    const attrs: Record<string, unknown> = { ...options.attributes };
    if (rules.has(ATTR_GEN_AI_TOOL_NAME)) attrs[ATTR_GEN_AI_TOOL_NAME] = call.tool;
    // What the client declared in `initialize`; the catalog's enum buckets the name, semver reduces the version.
    const client = protocol.getClientVersion?.();
    if (client !== undefined && rules.has(ATTR_MCP_CLIENT_NAME)) attrs[ATTR_MCP_CLIENT_NAME] = client.name;
    if (client !== undefined && rules.has(ATTR_MCP_CLIENT_VERSION)) attrs[ATTR_MCP_CLIENT_VERSION] = client.version;
    const outcome = { success: call.errorType === undefined, errorType: call.errorType };
    telemetry.track(options.event, attrs as EventAttributes<C, N>, { durationMs: call.durationMs, outcome });
  };
  let seesToolCode = true;
  try {
    protocol.assertCanSetRequestHandler?.('tools/call');
  } catch {
    seesToolCode = false;
  }
  const tracker = createToolCallTracker(record, seesToolCode);
  // Both kinds connect through the low-level server (McpServer.connect delegates to it).
  const connect = protocol.connect;
  const patches: Patch[] = [
    [protocol, INSTRUMENTED, true],
    ...(isHighLevel(server) ? toolRegistrationPatches(server, tracker) : [requestHandlerPatch(protocol, tracker)]),
    [protocol, 'connect', function (this: unknown, transport: McpTransportLike) {
      tracker.observe(transport, false);
      return connect.call(this, transport);
    }],
  ];
  if (!applyAll(patches)) return server;
  if (!seesToolCode) diagLog('warn', 'instrumentMcpServer: tools were registered before it, so their errors are recorded without their class');
  if (protocol.transport !== undefined) tracker.observe(protocol.transport, true);
  return server;
}
