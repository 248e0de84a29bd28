import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { defineCatalog, type Catalog } from '../semconv/catalog.js';
import type { DocDefaults } from '../generate/telemetry-md.js';

/** A catalog module: its `catalog` export (or default export), and optional `defaults` for the docs. */
export interface LoadedCatalog {
  readonly catalog: Catalog;
  readonly defaults: DocDefaults | undefined;
}

function isCatalog(value: unknown): value is Catalog {
  return typeof value === 'object' && value !== null && typeof (value as Catalog).app === 'string' &&
    typeof (value as Catalog).events === 'object';
}

/** Longest a catalog module may take to load: a top-level await that never settles must not hang a command (or let it exit 0 with nothing done). */
const LOAD_TIMEOUT_MS = 5_000;

/** Imports a catalog module; throws an Error with a one-line reason when it is not one. */
export async function loadCatalog(path: string): Promise<LoadedCatalog> {
  let mod: Record<string, unknown>;
  let timer: NodeJS.Timeout | undefined;
  try {
    mod = (await Promise.race([
      import(pathToFileURL(resolve(path)).href),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`it did not finish loading within ${LOAD_TIMEOUT_MS / 1000} s (a top-level await that never settles?)`)), LOAD_TIMEOUT_MS);
      }),
    ])) as Record<string, unknown>;
  } catch (error) {
    throw new Error(`cannot load ${path}: ${firstLine(error)}`);
  } finally {
    clearTimeout(timer);
  }
  const exported = mod.catalog ?? mod.default;
  if (!isCatalog(exported)) throw new Error(`${path} has no \`catalog\` or default export made with defineCatalog()`);
  // Through defineCatalog again (it is idempotent): a hand-written object gets its checks, and its
  // dropped-records event, instead of failing later, obscurely.
  const catalog = defineCatalog(exported);
  const defaults = typeof mod.defaults === 'object' && mod.defaults !== null ? (mod.defaults as DocDefaults) : undefined;
  return { catalog, defaults };
}

/** The first line of whatever a module threw: an Error's message, or the value itself (`throw "x"`, `throw null`). */
function firstLine(error: unknown): string {
  try {
    const text = error instanceof Error ? error.message : `it threw ${typeof error === 'string' ? JSON.stringify(error) : String(error)}`;
    return text.split('\n')[0] ?? '';
  } catch {
    return 'it threw a value that cannot be shown';
  }
}
