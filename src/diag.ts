import { createRequire } from 'node:module';

type DiagLevel = 'error' | 'warn' | 'info' | 'debug';
type DiagApi = Record<DiagLevel, (message: string) => void>;

// The API registers its diag logger under this well-known global (shared by every copy of api 1.x).
const API_GLOBAL = Symbol.for('opentelemetry.js.api.1');
// Where debug mode mirrors diag lines. Kept on a global symbol, like OTel's own registry, so every
// bundled entry of optel (`optel`, `optel/commander`, `optel/mcp`…) shares one mirror.
const MIRROR = Symbol.for('optel.diag.mirror');
type Sink = ((line: string) => void) | undefined;
const shared = globalThis as Record<symbol, Sink>;
let api: DiagApi | undefined;

function loadedDiag(): DiagApi | undefined {
  // Importing @opentelemetry/api costs ~15 ms here, so a CLI pays it only when a host has
  // registered a diag logger (otherwise every message would go nowhere anyway).
  const registered = (globalThis as Record<symbol, { diag?: unknown } | undefined>)[API_GLOBAL]?.diag;
  if (!registered) return undefined;
  api ??= (createRequire(import.meta.url)('@opentelemetry/api') as { diag: DiagApi }).diag;
  return api;
}

/** Sends optel's internal problems to OTel's `diag` (never to stdout, never thrown). */
export function diagLog(level: DiagLevel, message: string): void {
  try {
    const text = `optel: ${message}`;
    shared[MIRROR]?.(text);
    loadedDiag()?.[level](text);
  } catch {
    // Telemetry must not throw into the host, not even from its own logging.
  }
}

/** Also writes every diag line to `sink` (debug mode prints them on stderr). */
export function mirrorDiag(sink: Sink): void {
  shared[MIRROR] = sink;
}

/**
 * Runs `run` while keeping the diag lines it emits (still passed to the current mirror), so they
 * can be shown once it is known whether they should be: debug mode is itself read from the
 * configuration whose problems those lines describe.
 */
export function collectDiag<T>(run: () => T): { result: T; lines: string[] } {
  const lines: string[] = [];
  const previous = shared[MIRROR];
  shared[MIRROR] = (line) => {
    lines.push(line);
    previous?.(line);
  };
  try {
    return { result: run(), lines };
  } finally {
    shared[MIRROR] = previous;
  }
}
