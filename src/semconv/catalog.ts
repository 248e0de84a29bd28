import { attr, catalogError, checkAttribute, TIERS, type AttributeDefinition, type AttributeInput, type Tier } from './attributes.js';
import { ATTR_SUCCESS, ERROR_TYPE_VALUE_OTHER } from './names.js';

/** One event of the catalog: what it means, what it may carry, and where it may travel. */
export interface EventDefinition<A extends Record<string, AttributeDefinition> = Record<string, AttributeDefinition>> {
  /** One sentence for TELEMETRY.md and the instruments' descriptions. */
  readonly description: string;
  /** The only attributes the event may carry. */
  readonly attributes?: A;
  /** Whether occurrences carry a duration (adds the `<event>.duration` histogram and enables spans). */
  readonly duration?: boolean;
  /** Tiers the event may travel in, at least one; default metrics and events, and traces too with a duration (each still needs consent). */
  readonly tiers?: readonly Tier[];
}

/** A catalog: the complete allowlist of what an app may record. */
export interface Catalog<
  App extends string = string,
  E extends Record<string, EventDefinition> = Record<string, EventDefinition>,
> {
  /** The app's name: the prefix of every event and of its environment variables. */
  readonly app: App;
  /** Every event the app may record, by dot-namespaced name. */
  readonly events: E;
  /** What the author tells users about where the data goes and how long it is kept (for TELEMETRY.md). */
  readonly docs?: CatalogDocs;
}

/** Prose the author adds to the generated TELEMETRY.md. */
export interface CatalogDocs {
  readonly destination?: string;
  readonly retention?: string;
  readonly contact?: string;
}

/** Names of the events a catalog declares. */
export type EventName<C extends Catalog> = keyof C['events'] & string;

type AttributesOf<D> = D extends EventDefinition<infer A> ? A : never;

/** The attributes object `track()` accepts for an event, inferred from the catalog. */
export type EventAttributes<C extends Catalog, N extends EventName<C>> = {
  readonly [K in keyof AttributesOf<C['events'][N]>]?: AttributeInput<AttributesOf<C['events'][N]>[K]>;
};

/** Names of the events that declare a duration (the ones a wrapper or decorator can time). */
export type TimedEventName<C extends Catalog> = {
  [N in EventName<C>]: C['events'][N] extends { readonly duration: true } ? N : never;
}[EventName<C>];

const APP_NAME = /^[a-z][a-z0-9_-]*$/;

/** Whether `app` can be a catalog's app name (it names directories and environment variables, so no paths). */
export function isAppName(app: string): boolean {
  return APP_NAME.test(app);
}

const EVENT_NAME = /^[a-z][a-z0-9_-]*(\.[a-z][a-z0-9_]*){2,}$/;
const ATTRIBUTE_NAME = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$/;
const RESERVED_ATTRIBUTES = new Set(['event.name', 'service.name', 'app.installation.id']);

/** The event every catalog gets for free: records optel itself had to drop. */
export const dropEventSuffix = '.telemetry.dropped';

/** Error classes `outcome()` accepts by default: JS built-ins and common Node system codes. */
export const DEFAULT_ERROR_TYPES = [
  'Error', 'TypeError', 'RangeError', 'SyntaxError', 'ReferenceError', 'AbortError', 'TimeoutError',
  'ENOENT', 'EACCES', 'EPERM', 'EEXIST', 'EISDIR', 'ENOTDIR', 'ENOTEMPTY', 'ECONNREFUSED',
  'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EPIPE', 'EMFILE', 'ENOSPC',
] as const;

type DefaultErrorType = (typeof DEFAULT_ERROR_TYPES)[number];

/**
 * The attributes a timed handler gets filled in automatically: `success` and a closed `error.type`
 * (unknown classes become `_OTHER`; the message and stack are never recorded).
 */
export function outcome<const X extends string = never>(extraErrorTypes: readonly X[] = []) {
  return {
    [ATTR_SUCCESS]: attr.boolean({ description: 'Whether the operation completed without throwing.' }),
    'error.type': attr.enum([...new Set<string>([...DEFAULT_ERROR_TYPES, ...extraErrorTypes])] as (DefaultErrorType | X)[], {
      fallback: ERROR_TYPE_VALUE_OTHER,
      description: 'Class of the error (name or system code) when it failed; never the message.',
    }),
  };
}

/** Why optel dropped records, the `reason` of `<app>.telemetry.dropped`. */
export const DROP_REASONS = ['spool_full', 'corrupt', 'rejected'] as const;
/** One of `DROP_REASONS`. */
export type DropReason = (typeof DROP_REASONS)[number];

function droppedEvent(): EventDefinition {
  return {
    description: 'Records optel dropped before they could be sent (spool full, unreadable, refused).',
    tiers: ['metrics'],
    attributes: {
      reason: attr.enum(DROP_REASONS, { description: 'Why they were dropped.' }),
    },
  };
}

// Catalogs defineCatalog made, on a global symbol: each bundled entry of optel has its own copy of
// this module, and a catalog defined through one is handed to another's createTelemetry.
const DEFINED_KEY = Symbol.for('optel.catalog.defined');
const defined: WeakSet<object> = ((globalThis as Record<symbol, WeakSet<object> | undefined>)[DEFINED_KEY] ??= new WeakSet());

/**
 * The catalog as `defineCatalog` makes it: as it is when `defineCatalog` made it, otherwise (a plain
 * object, from JavaScript) checked and completed now. Checking costs ~1 ms of a CLI's start-up.
 */
export function checkedCatalog<C extends Catalog>(catalog: C): C {
  return defined.has(catalog) ? catalog : (defineCatalog(catalog) as C);
}

/**
 * Declares the allowlist. Throws (at definition time only) when a name or attribute is malformed,
 * so a broken catalog fails on first import rather than silently at record time.
 */
export function defineCatalog<const App extends string, const E extends Record<string, EventDefinition>>(
  definition: { app: App; events: E; docs?: CatalogDocs },
): Catalog<App, E> {
  if (!isRecord(definition)) catalogError('defineCatalog needs an object: { app, events }');
  const { app, events } = definition;
  unknownKeys(definition, CATALOG_KEYS, 'the catalog');
  if (!isAppName(app)) catalogError(`app name "${app}" must be lowercase letters, digits, - or _`);
  if (!isRecord(events)) catalogError('the catalog needs an events object, by event name');
  checkDocs(definition.docs);
  const all: Record<string, EventDefinition> = {};
  for (const [name, event] of Object.entries(events)) {
    if (typeof event !== 'object' || event === null) catalogError(`event "${name}" must be an object with a description`);
    unknownKeys(event, EVENT_KEYS, `event "${name}"`);
    if (!EVENT_NAME.test(name)) catalogError(`event "${name}" must be dot-namespaced lowercase: <app>.<domain>.<verb>`);
    if (!name.startsWith(`${app}.`)) catalogError(`event "${name}" must start with "${app}."`);
    if (!event.description) catalogError(`event "${name}" needs a description`);
    if (typeof event.description !== 'string') catalogError(`event "${name}": description must be a string`);
    for (const tier of event.tiers ?? []) if (!TIERS.includes(tier)) catalogError(`event "${name}": unknown tier ${tier}`);
    // An event no tier may carry can never be recorded: almost surely a slip, and TELEMETRY.md could not say how it is sent.
    if (event.tiers?.length === 0) catalogError(`event "${name}": tiers must name at least one tier (leave it out for the default)`);
    if (event.tiers?.includes('traces') && !event.duration) catalogError(`event "${name}": spans need duration: true`);
    if (event.attributes !== undefined && !isRecord(event.attributes)) catalogError(`event "${name}": attributes must be an object`);
    for (const [key, definition] of Object.entries(event.attributes ?? {})) {
      if (!ATTRIBUTE_NAME.test(key)) catalogError(`event "${name}": attribute "${key}" must be lowercase dotted`);
      if (RESERVED_ATTRIBUTES.has(key)) catalogError(`event "${name}": attribute "${key}" is reserved`);
      checkAttribute(definition, `event "${name}": attribute "${key}"`);
    }
    all[name] = event;
  }
  const dropped = `${app}${dropEventSuffix}`;
  all[dropped] ??= droppedEvent();
  const out: Catalog<App, E> = definition.docs ? { app, events: all as E, docs: definition.docs } : { app, events: all as E };
  defined.add(out);
  return out;
}

const CATALOG_KEYS: ReadonlySet<string> = new Set(['app', 'events', 'docs']);
const EVENT_KEYS: ReadonlySet<string> = new Set(['description', 'attributes', 'duration', 'tiers']);
const DOCS_KEYS = ['destination', 'retention', 'contact'] as const;

/** Whether a value can be a table by name (events, attributes, a settings file): an array's indexes are no names. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The docs are prose for TELEMETRY.md: anything but a string would only fail there, far from its cause. */
function checkDocs(docs: unknown): void {
  if (docs === undefined || docs === null) return;
  if (!isRecord(docs)) catalogError(`docs must be an object (${DOCS_KEYS.join(', ')})`);
  for (const key of DOCS_KEYS) if (docs[key] !== undefined && typeof docs[key] !== 'string') catalogError(`docs.${key} must be a string`);
}

/** A key the definition does not know is a typo (`duraton: true`) that would otherwise do nothing, silently. */
function unknownKeys(value: object, known: ReadonlySet<string>, where: string): void {
  const stray = Object.keys(value).filter((k) => !known.has(k));
  if (stray.length > 0) catalogError(`${where}: unknown ${stray.length === 1 ? 'key' : 'keys'} ${stray.map((k) => `"${k}"`).join(', ')} (expected ${[...known].join(', ')})`);
}

/** The tiers an event may travel in. */
export function eventTiers(event: EventDefinition): readonly Tier[] {
  return event.tiers ?? (event.duration ? TIERS : ['metrics', 'events']);
}
