import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Catalog } from '../semconv/catalog.js';
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

/** Imports a catalog module; throws an Error with a one-line reason when it is not one. */
export async function loadCatalog(path: string): Promise<LoadedCatalog> {
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(resolve(path)).href)) as Record<string, unknown>;
  } catch (error) {
    throw new Error(`cannot load ${path}: ${(error as Error).message.split('\n')[0]}`);
  }
  const catalog = mod.catalog ?? mod.default;
  if (!isCatalog(catalog)) throw new Error(`${path} has no \`catalog\` or default export made with defineCatalog()`);
  const defaults = typeof mod.defaults === 'object' && mod.defaults !== null ? (mod.defaults as DocDefaults) : undefined;
  return { catalog, defaults };
}
