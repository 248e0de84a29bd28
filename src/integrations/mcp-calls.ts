import { diagLog } from '../diag.js';
import { errorClass } from '../instruments/error-class.js';
import { isPromiseLike } from '../instruments/measure.js';
import { MCP_ERROR, MCP_TOOL_ERROR } from './mcp-attributes.js';

/**
 * The part of an MCP transport that is observed; every transport of @modelcontextprotocol/sdk has it.
 * Parameters are loose on purpose: the SDK's own types are not imported, so any SDK version fits.
 */
export interface McpTransportLike {
  onmessage?: ((message: any, extra?: any) => void) | undefined;
  onclose?: (() => void) | undefined;
  start?(): Promise<void>;
  send(message: any, options?: any): Promise<void>;
}

/** How one `tools/call` ended, as seen on the wire. */
export interface ToolCallOutcome {
  /** The requested tool name as the client sent it (the catalog's enum closes it). */
  readonly tool: unknown;
  /** From the request's arrival to its reply being written (or its cancellation). */
  readonly durationMs: number;
  /** The closed error class; undefined when the call succeeded. */
  readonly errorType: string | undefined;
}

/** Follows `tools/call` requests from arrival to written reply. */
export interface ToolCallTracker {
  /** Watches a transport's incoming messages and outgoing replies, from its start (or now, if `started`). */
  observe(transport: McpTransportLike, started: boolean): void;
  /** Runs a tool's own code for request `id`, remembering that it ran and the class of what it throws. */
  guard<R>(id: unknown, run: () => R): R;
}

interface PendingCall {
  readonly tool: unknown;
  readonly start: number;
  /** The tool's own code ran (otherwise the SDK refused the call before it). */
  entered: boolean;
  /** Class of what the tool's code threw; the SDK may have turned it into an `isError` result. */
  thrown?: string;
}

/** The requests in flight with one id. */
interface InFlight {
  /** More than one when a client reused the id before the first was answered. */
  requests: number;
  /** The tool call the id stands for; undefined for other requests and once the id is ambiguous. */
  call: PendingCall | undefined;
}

type Message = Record<string, unknown>;

const ABORT_ERROR = 'AbortError';

function isRequestId(id: unknown): id is string | number {
  return typeof id === 'string' || typeof id === 'number';
}

function safely(what: string, fn: () => void): void {
  try {
    fn();
  } catch (error) {
    // Telemetry never breaks the protocol: a surprise here costs one record, not the reply.
    diagLog('error', `mcp: ${what} failed: ${(error as Error).message}`);
  }
}

/** Why a written reply counts as a failure, or undefined for success. */
function failureOf(call: PendingCall, reply: Message, seesToolCode: boolean): string | undefined {
  if (call.thrown !== undefined) return call.thrown;
  if ('error' in reply) return MCP_ERROR;
  const result = reply.result as { isError?: unknown } | undefined;
  if (result?.isError !== true) return undefined;
  // McpServer answers an unknown tool or invalid arguments with `isError` before any tool code runs.
  return call.entered || !seesToolCode ? MCP_TOOL_ERROR : MCP_ERROR;
}

/** A task-augmented call is answered with the task it created, not with the tool's result. */
function createsTask(reply: Message): boolean {
  const result = reply.result as { task?: unknown } | undefined;
  return typeof result?.task === 'object' && result.task !== null;
}

/**
 * Tracks tool calls at the transport, where the protocol is plain JSON-RPC: a call starts when its
 * request arrives and is reported only once the transport has accepted its reply (`send` resolved),
 * so telemetry never delays or reorders a reply. A cancelled call, which never gets one, is reported
 * as an `AbortError` when the cancellation arrives; calls pending when the transport closes are forgotten.
 * A request id reused while a request with it is in flight makes replies impossible to match, so no
 * call with that id is reported until all of them are answered; nor is a call that only created a task.
 */
export function createToolCallTracker(
  report: (outcome: ToolCallOutcome) => void,
  /** Whether every tool's code runs through `guard` (false when tools were registered before instrumenting). */
  seesToolCode = true,
): ToolCallTracker {
  const inFlight = new Map<string | number, InFlight>();
  const observed = new WeakSet<object>();
  const said = new Set<string>();
  // Said once: a client that reuses ids, or a server whose tools create tasks, does so on every call.
  const sayOnce = (level: 'warn' | 'info', message: string) => {
    if (said.has(message)) return;
    said.add(message);
    diagLog(level, `mcp: ${message}`);
  };

  const finish = (call: PendingCall, errorType: string | undefined) =>
    safely('recording a tool call', () => report({ tool: call.tool, durationMs: performance.now() - call.start, errorType }));

  /** One request with `id` is over (answered or cancelled); returns its call unless the id was ambiguous. */
  const settle = (id: string | number): PendingCall | undefined => {
    const entry = inFlight.get(id);
    if (entry === undefined) return undefined;
    if (--entry.requests === 0) inFlight.delete(id);
    return entry.call;
  };

  const received = (message: Message) => {
    if (typeof message.method === 'string' && isRequestId(message.id)) {
      const entry = inFlight.get(message.id);
      if (entry !== undefined) {
        // Every request counts, not just tool calls: a `ping` reusing a tool call's id gets its reply first.
        entry.requests++;
        entry.call = undefined;
        sayOnce('warn', 'a client reused the id of a request still in flight; calls with that id are not recorded');
        return;
      }
      const params = message.params as { name?: unknown } | undefined;
      const call = message.method === 'tools/call' ? { tool: params?.name, start: performance.now(), entered: false } : undefined;
      inFlight.set(message.id, { requests: 1, call });
    } else if (message.method === 'notifications/cancelled') {
      // The SDK writes no reply for a cancelled request, so the cancellation is its end.
      const id = (message.params as { requestId?: unknown } | undefined)?.requestId;
      const call = isRequestId(id) ? settle(id) : undefined;
      if (call !== undefined) finish(call, ABORT_ERROR);
    }
  };

  const replyTo = (message: Message): PendingCall | undefined => {
    if ('method' in message || !isRequestId(message.id) || !('result' in message || 'error' in message)) return undefined;
    const call = settle(message.id);
    if (call === undefined || !createsTask(message)) return call;
    // Its outcome arrives later, outside this call: recording the creation would count a success.
    sayOnce('info', 'task-augmented tool calls are not recorded');
    return undefined;
  };

  const install = (transport: McpTransportLike) => {
    const onmessage = transport.onmessage;
    transport.onmessage = function (this: unknown, message: unknown, extra?: unknown) {
      if (typeof message === 'object' && message !== null) safely('reading a message', () => received(message as Message));
      return onmessage?.call(this, message, extra);
    };
    const onclose = transport.onclose;
    transport.onclose = function (this: unknown) {
      inFlight.clear();
      return onclose?.call(this);
    };
    const send = transport.send;
    transport.send = function (this: unknown, message: unknown, options?: unknown) {
      let call: PendingCall | undefined;
      if (typeof message === 'object' && message !== null) safely('reading a reply', () => (call = replyTo(message as Message)));
      const sent = send.call(this, message, options);
      if (call !== undefined) {
        const done = call;
        // Counted once the transport has taken the reply; a reply it could not write is not counted.
        Promise.resolve(sent).then(() => finish(done, failureOf(done, message as Message, seesToolCode)), () => {});
      }
      return sent;
    };
  };

  const observe = (transport: McpTransportLike, started: boolean) => {
    if (observed.has(transport)) return;
    observed.add(transport);
    if (started || typeof transport.start !== 'function') return install(transport);
    // The SDK sets its handlers on the transport and then starts it; wrapping them at that moment puts
    // ours first without relying on how a given SDK version treats handlers that were already there.
    const start = transport.start;
    transport.start = function (this: unknown) {
      safely('observing a transport', () => install(transport));
      return start.call(this);
    };
  };

  const guard = <R>(id: unknown, run: () => R): R => {
    const call = isRequestId(id) ? inFlight.get(id)?.call : undefined;
    if (call !== undefined) call.entered = true;
    const threw = (error: unknown) => {
      if (call !== undefined) call.thrown = errorClass(error);
    };
    let result: R;
    try {
      result = run();
    } catch (error) {
      threw(error);
      throw error;
    }
    if (!isPromiseLike(result)) return result;
    return Promise.resolve(result).then(undefined, (error: unknown) => {
      threw(error);
      throw error;
    }) as R;
  };

  return { observe, guard };
}
