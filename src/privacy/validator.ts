import type { Tier } from '../semconv/attributes.js';
import { eventTiers, type Catalog, type EventDefinition } from '../semconv/catalog.js';
import { COUNT_SUFFIX, DURATION_SUFFIX } from '../semconv/names.js';
import { compileRule, type AttributeRule, type WireValue } from './rules.js';

/** An event of the catalog compiled for checking. */
export interface CompiledEvent {
  readonly name: string;
  readonly definition: EventDefinition;
  readonly tiers: ReadonlySet<Tier>;
  readonly duration: boolean;
  readonly rules: ReadonlyMap<string, AttributeRule>;
  /** Whether any attribute is allowed only above the metrics tier (log records and spans). */
  readonly hasRichAttributes: boolean;
}

/** Flat wire attributes. */
export type WireAttributes = Record<string, WireValue>;

/** The compiled allowlist, shared by the SDK (encode) and the gateway (check). */
export interface CatalogIndex {
  readonly app: string;
  readonly catalog: Catalog;
  /** The event of that name, if the catalog declares it. */
  event(name: string): CompiledEvent | undefined;
  /** Every event, in declaration order. */
  events(): readonly CompiledEvent[];
  /** The event behind a metric instrument name (`<event>.count` / `<event>.duration`). */
  instrument(metricName: string): { event: CompiledEvent; kind: 'count' | 'duration' } | undefined;
}

/** Compiles a catalog once into fast lookups. */
export function compileCatalog(catalog: Catalog): CatalogIndex {
  const byName = new Map<string, CompiledEvent>();
  const byInstrument = new Map<string, { event: CompiledEvent; kind: 'count' | 'duration' }>();
  for (const [name, definition] of Object.entries(catalog.events)) {
    const rules = new Map<string, AttributeRule>();
    for (const [key, def] of Object.entries(definition.attributes ?? {})) rules.set(key, compileRule(def));
    const event: CompiledEvent = {
      name,
      definition,
      tiers: new Set(eventTiers(definition)),
      duration: definition.duration === true,
      rules,
      hasRichAttributes: [...rules.values()].some((rule) => rule.tier !== 'metrics'),
    };
    byName.set(name, event);
    if (event.tiers.has('metrics')) {
      byInstrument.set(name + COUNT_SUFFIX, { event, kind: 'count' });
      if (event.duration) byInstrument.set(name + DURATION_SUFFIX, { event, kind: 'duration' });
    }
  }
  const list = [...byName.values()];
  return {
    app: catalog.app,
    catalog,
    event: (name) => byName.get(name),
    events: () => list,
    instrument: (metricName) => byInstrument.get(metricName),
  };
}

/**
 * SDK side: keeps the declared, well-typed attributes of one occurrence and reports each dropped one
 * through `drop` (never throws). Returns the attributes allowed on every tier; events-only
 * attributes go into `extra` when one is given (only when those tiers are on: no hashing otherwise).
 */
export function encodeAttributes(
  event: CompiledEvent,
  input: Readonly<Record<string, unknown>> | undefined,
  hash: (value: string) => string,
  extra: WireAttributes | undefined,
  drop: (reason: string) => void,
): WireAttributes {
  const metrics: WireAttributes = {};
  if (input === undefined || input === null) return metrics;
  if (typeof input !== 'object') {
    drop(`attributes of "${event.name}" must be an object`);
    return metrics;
  }
  for (const key in input) {
    const rule = event.rules.get(key);
    if (rule === undefined) {
      drop(`attribute "${key}" of "${event.name}" is not in the catalog`);
      continue;
    }
    if (rule.tier === 'events' && extra === undefined) continue;
    const value = rule.encode(input[key], hash);
    if (typeof value === 'object') drop(`attribute "${key}" of "${event.name}": ${value.rejected}`);
    else if (rule.tier === 'metrics') metrics[key] = value;
    else extra![key] = value;
  }
  return metrics;
}

/** Receiving side: what survives of attributes arriving on a tier, and what was refused (with why). */
export interface CheckedAttributes {
  readonly attributes: WireAttributes;
  readonly rejected: readonly string[];
}

/** Receiving side: applies the same rules to attributes that arrived on `tier`. */
export function checkAttributes(event: CompiledEvent, tier: Tier, attributes: Readonly<Record<string, unknown>>): CheckedAttributes {
  const out: WireAttributes = {};
  const rejected: string[] = [];
  for (const key in attributes) {
    const rule = event.rules.get(key);
    if (rule === undefined) {
      rejected.push(`${key}: not in the catalog`);
      continue;
    }
    if (tier === 'metrics' && rule.tier !== 'metrics') {
      rejected.push(`${key}: not allowed on the metrics tier`);
      continue;
    }
    const value = rule.accepts(attributes[key]);
    if (typeof value === 'object') rejected.push(`${key}: ${value.rejected}`);
    else out[key] = value;
  }
  return { attributes: out, rejected };
}
