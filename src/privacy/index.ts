export { redact, findSensitive } from './redact.js';
export type { RedactionKind } from './redact.js';
export { compileCatalog, encodeAttributes, checkAttributes } from './validator.js';
export type { CatalogIndex, CompiledEvent, CheckedAttributes, WireAttributes } from './validator.js';
export { bucketLabel, bucketLabels, normalizeSemver, HASHED_ID_LENGTH } from './rules.js';
export type { WireValue, AttributeRule, Rejection } from './rules.js';
export { createHasher, newSalt } from './hash.js';
