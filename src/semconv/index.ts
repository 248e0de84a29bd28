export { attr } from './attributes.js';
export type {
  Tier, AttributeTier, AttributeDefinition, AttributeInput, AttributeOptions,
  EnumAttribute, BooleanAttribute, IntAttribute, BucketAttribute, SemverAttribute, HashedAttribute, TextAttribute,
} from './attributes.js';
export { defineCatalog, outcome, eventTiers, DEFAULT_ERROR_TYPES, dropEventSuffix } from './catalog.js';
export type { Catalog, CatalogDocs, EventDefinition, EventName, EventAttributes, TimedEventName } from './catalog.js';
export * from './names.js';
