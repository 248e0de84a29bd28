import { diagLog } from '../diag.js';
import { errorClass } from '../instruments/error-class.js';

/** How the process is ending: a normal exit (`process.exit()` included) with its code, or a signal. */
export interface ProcessEnd {
  readonly code?: number;
  readonly signal?: NodeJS.Signals;
  /** With a signal: the host listens for it too, so the process may well go on (or end its own way). */
  readonly hostListens?: boolean;
}

/** `record`: what is still running is recorded first (an interrupted command); `write`: then records are written. */
export type ProcessEndStage = 'record' | 'write';

type Callback = (end: ProcessEnd) => void;

interface Registry {
  readonly stages: Record<ProcessEndStage, Set<Callback>>;
  /** The listeners, made by whichever copy of this module came first, so any copy can remove them. */
  readonly onExit: (code: number) => void;
  readonly onSignal: (signal: NodeJS.Signals) => void;
  /** Keeps `onSignal` first when a host prepends a listener of its own later. */
  readonly onNewListener: (event: string | symbol, listener: unknown) => void;
  hooked: boolean;
  /** The 'exit' event has come: nothing asynchronous runs any more. */
  exiting?: boolean;
}

// SIGHUP: the terminal a CLI runs in was closed.
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

// One registry per process, on a global symbol: each bundled entry of optel (`optel`,
// `optel/commander`…) has its own copy of this module, and two signal listeners would each take
// the other for the host's own and never let the process die by its signal.
const KEY = Symbol.for('optel.process-end');
const shared = globalThis as unknown as Record<symbol, Registry | undefined>;
const registry: Registry = (shared[KEY] ??= createRegistry());

function createRegistry(): Registry {
  const stages: Registry['stages'] = { record: new Set(), write: new Set() };
  const run = (end: ProcessEnd) => {
    for (const stage of ['record', 'write'] as const) {
      for (const callback of [...stages[stage]]) {
        try {
          callback(end);
        } catch (error) {
          diagLog('warn', `at process end: ${errorClass(error)}`);
        }
      }
    }
  };
  const self: Registry = {
    stages,
    hooked: false,
    onExit: (code) => {
      self.exiting = true;
      run({ code });
    },
    onNewListener: (event, listener) => {
      if (!(SIGNALS as readonly (string | symbol)[]).includes(event) || listener === self.onSignal) return;
      // Added after this call returns; put back in front of it, where the count below needs it.
      queueMicrotask(() => {
        const all = process.listeners(event as NodeJS.Signals);
        if (!self.hooked || all[0] === self.onSignal || !all.includes(self.onSignal)) return;
        process.off(event as NodeJS.Signals, self.onSignal);
        process.prependListener(event as NodeJS.Signals, self.onSignal);
      });
    },
    onSignal: (signal) => {
      // Counted before anything runs: ours is first (prepended, and put back first when a host
      // prepends its own later), so a host's `once` listener, which Node removes only as it calls
      // it, is still counted. Then keep the default behaviour (die by the signal) unless the host
      // handles the signal itself.
      const hostListens = process.listenerCount(signal) - 1 - signalExitListeners() > 0;
      run({ signal, hostListens });
      if (!hostListens) {
        unhook(self);
        process.kill(process.pid, signal);
      }
    },
  };
  return self;
}

/**
 * Signal listeners of signal-exit (ora, execa, restore-cursor… load it), which are not the host's:
 * signal-exit lets the process die by a signal only when its own are the sole listeners left, and
 * it counts its loaded copies where it can be read (v4 on a global symbol, v3 on `process`). Taking
 * them for the host's, each side would leave the signal to the other and the process would not end.
 */
function signalExitListeners(): number {
  const count = (emitter: unknown) => (typeof (emitter as { count?: unknown })?.count === 'number' ? (emitter as { count: number }).count : 0);
  return count((globalThis as Record<symbol, unknown>)[Symbol.for('signal-exit emitter')]) + count((process as unknown as { __signal_exit_emitter__?: unknown }).__signal_exit_emitter__);
}

function unhook(r: Registry): void {
  r.hooked = false;
  process.off('newListener', r.onNewListener);
  process.off('exit', r.onExit);
  for (const signal of SIGNALS) process.off(signal, r.onSignal);
}

/**
 * Runs `callback` when the process ends — normal exit, `process.exit()`, an uncaught error, SIGINT or
 * SIGTERM — every `record` callback before any `write` one, whatever order they were registered in.
 * optel adds one listener per event for all of them, and on a signal the process still dies by it
 * unless the host listens too. Returns a function that removes the callback.
 */
export function atProcessEnd(stage: ProcessEndStage, callback: Callback): () => void {
  registry.stages[stage].add(callback);
  if (!registry.hooked) {
    registry.hooked = true;
    process.on('exit', registry.onExit);
    for (const signal of SIGNALS) process.prependListener(signal, registry.onSignal);
    process.on('newListener', registry.onNewListener);
  }
  return () => {
    registry.stages[stage].delete(callback);
    if (registry.stages.record.size === 0 && registry.stages.write.size === 0) unhook(registry);
  };
}

/** Whether the process is exiting (its 'exit' event came): what is recorded now must be written at once, or never is. */
export function processExiting(): boolean {
  // Node marks `process._exiting` before any 'exit' listener runs. Ours may never run: none is
  // hooked yet (the run's first record is made in a host's exit listener, and one added now is not
  // called), or a host's earlier listener calls process.exit() again, which ends the process at once.
  return registry.exiting === true || (process as { _exiting?: boolean })._exiting === true;
}
