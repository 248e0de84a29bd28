import type { AttributeDefinition } from '../semconv/attributes.js';
import { bucketLabels, compileRule, HASHED_ID_LENGTH } from '../privacy/rules.js';
import { terminalValue } from '../terminal-text.js';

/** A human description of an attribute's type and allowed values, shared by every generator. */
export interface AttributeSummary {
  readonly type: string;
  readonly values: string;
  /** The exact wire values, when the set is closed (enums, booleans, buckets). */
  readonly closedSet?: readonly (string | boolean)[];
}

const SEMVER_EXAMPLE = '2.0.0-beta.1+build.5';

/** Summarises an attribute definition for docs, dashboards and collector configs. */
export function describeAttribute(def: AttributeDefinition): AttributeSummary {
  switch (def.kind) {
    case 'enum': {
      const values = def.fallback ? [...def.values, def.fallback] : [...def.values];
      return { type: 'enum', values: values.map(code).join(', '), closedSet: values };
    }
    case 'boolean':
      return { type: 'boolean', values: '`true`, `false`', closedSet: [true, false] };
    case 'int':
      return { type: 'integer', values: `${def.min} to ${def.max}` };
    case 'bucket': {
      const labels = bucketLabels(def.bounds);
      return { type: 'bucket', values: labels.map(code).join(', '), closedSet: labels };
    }
    case 'semver': {
      const kept = def.precision === 'major' ? 'major only' : def.precision === 'minor' ? 'major.minor only'
        : 'major.minor.patch plus a known pre-release word (alpha, beta, rc…), nothing else';
      // The example is what the rule itself sends, so the docs cannot drift from it.
      const sent = compileRule(def).encode(SEMVER_EXAMPLE, (v) => v);
      return { type: 'version', values: `${kept}: ${code(SEMVER_EXAMPLE)} is sent as ${code(String(sent))}` };
    }
    case 'hashed':
      return { type: 'hashed id', values: `HMAC-SHA256 with a salt that never leaves the machine, ${HASHED_ID_LENGTH} hex characters` };
    case 'text':
      return { type: 'text', values: `free text, redacted (emails, paths, keys, IPs… replaced) and cut to ${def.maxLength} characters` };
  }
}

/**
 * A value as a Markdown code span, exactly as sent: fenced with more backticks than it contains,
 * control characters (a line break would end a table row) shown as `\xHH`, and the empty string,
 * which no code span can hold, as *(empty)*.
 */
export function code(value: string): string {
  if (value === '') return '*(empty)*';
  const shown = terminalValue(value);
  const longest = Math.max(0, ...(shown.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  // Markdown strips one space from each end of a span that starts and ends with one: pad so it strips ours.
  const spaced = shown.startsWith(' ') && shown.endsWith(' ') && shown.trim() !== '';
  const pad = shown.startsWith('`') || shown.endsWith('`') || spaced ? ' ' : '';
  return `${fence}${pad}${shown}${pad}${fence}`;
}
