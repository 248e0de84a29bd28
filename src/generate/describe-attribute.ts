import type { AttributeDefinition } from '../semconv/attributes.js';
import { bucketLabels, HASHED_ID_LENGTH } from '../privacy/rules.js';

/** A human description of an attribute's type and allowed values, shared by every generator. */
export interface AttributeSummary {
  readonly type: string;
  readonly values: string;
  /** The exact wire values, when the set is closed (enums, booleans, buckets). */
  readonly closedSet?: readonly (string | boolean)[];
}

/** Summarises an attribute definition for docs, dashboards and collector configs. */
export function describeAttribute(def: AttributeDefinition): AttributeSummary {
  switch (def.kind) {
    case 'enum': {
      const values = def.fallback ? [...def.values, def.fallback] : [...def.values];
      return { type: 'enum', values: values.map((v) => `\`${v}\``).join(', '), closedSet: values };
    }
    case 'boolean':
      return { type: 'boolean', values: '`true`, `false`', closedSet: [true, false] };
    case 'int':
      return { type: 'integer', values: `${def.min} to ${def.max}` };
    case 'bucket': {
      const labels = bucketLabels(def.bounds);
      return { type: 'bucket', values: labels.map((l) => `\`${l}\``).join(', '), closedSet: labels };
    }
    case 'semver':
      return { type: 'version', values: 'major.minor.patch, plus a known pre-release word (alpha, beta, rc…)' };
    case 'hashed':
      return { type: 'hashed id', values: `HMAC-SHA256 with a salt that never leaves the machine, ${HASHED_ID_LENGTH} hex characters` };
    case 'text':
      return { type: 'text', values: `free text, redacted (emails, paths, keys, IPs… replaced) and cut to ${def.maxLength} characters` };
  }
}
