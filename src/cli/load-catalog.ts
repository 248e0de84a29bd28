import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { directoryState } from '../fs/directory-state.js';
import { containImport } from './contain-import.js';
import { catalogProblem } from '../semconv/attributes.js';
import { defineCatalog, type Catalog } from '../semconv/catalog.js';
import { FLUSH_VALUES, type Flush } from '../config/settings.js';
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

/** A problem already stated in full, naming the module. */
class ModuleProblem extends Error {}

/** Longest a catalog module may take to load: a top-level await that never settles must not hang a command (or let it exit 0 with nothing done). */
const LOAD_TIMEOUT_MS = 5_000;

/**
 * Imports a catalog module; throws an Error with a one-line reason when it is not one. `oneShot`:
 * what the module does after loading cannot end the command or cut its output (see containImport).
 */
export async function loadCatalog(path: string, oneShot = false): Promise<LoadedCatalog> {
  // Either would be resolved to a directory, which import() only calls "not supported".
  if (path.trim() === '') throw new Error('no catalog module given: pass the path of its .js or .mjs file');
  if (directoryState(resolve(path)) === 'directory') throw new Error(`${path} is a directory: pass the path of the catalog module's .js or .mjs file`);
  // Everything that reads the module runs in here: a getter or a Proxy trap may throw, and the error must still name the module.
  try {
    const exports = moduleExports(await importWithin(path, LOAD_TIMEOUT_MS, oneShot));
    const exported = exports.catalog ?? exports.default;
    if (!isCatalog(exported)) throw new ModuleProblem(`${path} has no \`catalog\` or default export made with defineCatalog()`);
    // Through defineCatalog again (it is idempotent): a hand-written object gets its checks, and its
    // dropped-records event, instead of failing later, obscurely.
    return { catalog: defineCatalog(exported), defaults: docDefaults(path, exports.defaults) };
  } catch (error) {
    throw loadError(path, error);
  }
}

/** Imports the module with its side effects contained, giving up after `ms`. */
async function importWithin(path: string, ms: number, oneShot: boolean): Promise<Record<string, unknown>> {
  const contained = containImport(oneShot);
  let timer: NodeJS.Timeout | undefined;
  let loaded: Record<string, unknown>;
  try {
    loaded = (await Promise.race([
      import(pathToFileURL(resolve(path)).href),
      contained.failed,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`it did not finish loading within ${ms / 1000} s (a top-level await that never settles?)`)), ms);
      }),
    ])) as Record<string, unknown>;
  } finally {
    clearTimeout(timer);
  }
  // A callback of the module may have failed it after the import settled, before this line ran.
  const failed = contained.release();
  if (failed) throw failed;
  return loaded;
}

/** Where the exports are: a CommonJS module's `module.exports` (`= { catalog }`) arrives as the default export. */
function moduleExports(mod: Record<string, unknown>): Record<string, unknown> {
  const cjs = mod.default;
  return mod.catalog === undefined && typeof cjs === 'object' && cjs !== null && 'catalog' in cjs ? (cjs as Record<string, unknown>) : mod;
}

/** The module's `defaults`, checked: TELEMETRY.md must not promise a tier or a window the app will not have. */
function docDefaults(path: string, value: unknown): DocDefaults | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const d = value as Record<string, unknown>;
  for (const tier of ['metrics', 'events'] as const) {
    if (d[tier] !== undefined && typeof d[tier] !== 'boolean') throw new ModuleProblem(`${path}: defaults.${tier} must be true or false`);
  }
  if (d.flush !== undefined && !FLUSH_VALUES.includes(d.flush as Flush)) {
    throw new ModuleProblem(`${path}: defaults.flush must be one of ${FLUSH_VALUES.join(', ')}`);
  }
  return { metrics: d.metrics as boolean | undefined, events: d.events as boolean | undefined, flush: d.flush as Flush | undefined };
}

/**
 * Why a module is not a usable catalog, in one line: a catalog error as the module's problem (its
 * "optel catalog:" prefix would follow the command's own "optel:"), a TypeScript source with what to do.
 */
function loadError(path: string, error: unknown): Error {
  if (error instanceof ModuleProblem) return error;
  const problem = catalogProblem(error);
  if (problem !== undefined) return new Error(`${path} is not a valid catalog: ${problem}`);
  if ((error as NodeJS.ErrnoException | null)?.code === 'ERR_UNKNOWN_FILE_EXTENSION' && /\.[cm]?tsx?$/i.test(path)) {
    return new Error(`cannot load ${path}: Node cannot import TypeScript here: build the catalog and pass the compiled .js`);
  }
  return new Error(`cannot load ${path}: ${firstLine(error)}`);
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
