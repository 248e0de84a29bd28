import type { AttributeDefinition, AttributeTier } from '../semconv/attributes.js';
import { redactCapped } from './redact.js';

/** A value that may leave the process: always a primitive, never a composite. */
export type WireValue = string | number | boolean;

/** Why a value was refused; an object so the hot path can tell it from a wire value with one `typeof`. */
export interface Rejection {
  readonly rejected: string;
}

/** A compiled attribute definition: the one rule both the SDK and the gateway apply. */
export interface AttributeRule {
  readonly tier: AttributeTier;
  /** SDK side: turns an author's input into the value that leaves the process. */
  encode(input: unknown, hash: (value: string) => string): WireValue | Rejection;
  /** Receiving side: accepts only a value the SDK could have produced (strings redacted again). */
  accepts(wire: unknown): WireValue | Rejection;
}

const PRERELEASE_TAGS = /^(alpha|beta|rc|next|canary|dev|nightly|preview|pre|experimental)(?![a-z])/;
const SEMVER = /^v?(0|[1-9]\d{0,8})\.(0|[1-9]\d{0,8})\.(0|[1-9]\d{0,8})(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;
const HASH_HEX_LENGTH = 32;
const NUMBER = '(0|[1-9][0-9]{0,8})';
const TAGS = '(alpha|beta|rc|next|canary|dev|nightly|preview|pre|experimental)';

/** The exact shape of a hashed value on the wire, as a regular-expression source. */
export const HASHED_WIRE_PATTERN = `^[0-9a-f]{${HASH_HEX_LENGTH}}$`;

/**
 * The exact shape of a semver or hashed value on the wire, as a regular-expression source: the
 * gateway's rule and the generated Collector filters both come from here.
 */
export function wirePattern(def: AttributeDefinition): string | undefined {
  if (def.kind === 'hashed') return HASHED_WIRE_PATTERN;
  if (def.kind !== 'semver') return undefined;
  if (def.precision === 'major') return `^${NUMBER}$`;
  if (def.precision === 'minor') return `^${NUMBER}\\.${NUMBER}$`;
  return `^${NUMBER}\\.${NUMBER}\\.${NUMBER}(-${TAGS})?$`;
}

function reject(reason: string): Rejection {
  return { rejected: reason };
}

/** What a value is, for a diag line: `null`, `an array`, `a number`, `an object`… (never the value). */
export function kindOf(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return 'an array';
  const type = typeof value;
  return type === 'object' ? 'an object' : `${/^[aeiou]/.test(type) ? 'an' : 'a'} ${type}`;
}

/** Label of the bucket a number falls in: `<b0`, `bi-bj` for [bi, bj), `bn+`. */
export function bucketLabel(bounds: readonly number[], value: number): string {
  if (value < bounds[0]!) return `<${bounds[0]}`;
  for (let i = 1; i < bounds.length; i++) {
    if (value < bounds[i]!) return `${bounds[i - 1]}-${bounds[i]}`;
  }
  return `${bounds[bounds.length - 1]}+`;
}

/** Every label a bucket attribute can produce, in order (for docs, dashboards and the gateway). */
export function bucketLabels(bounds: readonly number[]): string[] {
  const labels = [`<${bounds[0]}`];
  for (let i = 1; i < bounds.length; i++) labels.push(`${bounds[i - 1]}-${bounds[i]}`);
  labels.push(`${bounds[bounds.length - 1]}+`);
  return labels;
}

/** Reduces a version to major.minor.patch plus a known pre-release tag; anything else is refused. */
export function normalizeSemver(value: string): string | undefined {
  const m = SEMVER.exec(value);
  if (!m) return undefined;
  const tag = m[4] ? PRERELEASE_TAGS.exec(m[4])?.[1] : undefined;
  return `${m[1]}.${m[2]}.${m[3]}${tag ? `-${tag}` : ''}`;
}

/** Length of a hashed identifier on the wire, in hex characters (128 bits). */
export const HASHED_ID_LENGTH = HASH_HEX_LENGTH;

/** Compiles one attribute definition into its rule. */
export function compileRule(def: AttributeDefinition): AttributeRule {
  const tier = def.tier;
  switch (def.kind) {
    case 'enum': {
      const allowed = new Set<string>(def.values);
      const fallback = def.fallback;
      const check = (v: unknown): WireValue | Rejection => {
        if (typeof v !== 'string') return reject(`expected one of the enum values, got ${kindOf(v)}`);
        if (allowed.has(v) || v === fallback) return v;
        return fallback ?? reject('value is not in the enum');
      };
      return { tier, encode: check, accepts: check };
    }
    case 'boolean': {
      const check = (v: unknown) => (typeof v === 'boolean' ? v : reject(`expected a boolean, got ${kindOf(v)}`));
      return { tier, encode: check, accepts: check };
    }
    case 'int': {
      const { min, max } = def;
      const check = (v: unknown): WireValue | Rejection => {
        if (typeof v !== 'number' || !Number.isInteger(v)) return reject(`expected an integer, got ${kindOf(v)}`);
        return v >= min && v <= max ? v : reject(`integer out of range ${min}..${max}`);
      };
      return { tier, encode: check, accepts: check };
    }
    case 'bucket': {
      const { bounds } = def;
      // The labels are built once, so recording hands OTel the same string objects every time.
      const list = bucketLabels(bounds);
      const labels = new Set(list);
      const encode = (v: unknown): WireValue | Rejection => {
        if (typeof v !== 'number' || !Number.isFinite(v)) return reject(`expected a finite number, got ${kindOf(v)}`);
        let i = 0;
        while (i < bounds.length && v >= bounds[i]!) i++;
        return list[i]!;
      };
      return {
        tier,
        encode,
        accepts: (v) => (typeof v === 'string' && labels.has(v) ? v : reject('not a bucket label of this attribute')),
      };
    }
    case 'semver': {
      const parts = def.precision === 'major' ? 1 : def.precision === 'minor' ? 2 : 3;
      const wire = new RegExp(wirePattern(def)!);
      return {
        tier,
        encode: (v) => {
          if (typeof v !== 'string') return reject(`expected a version string, got ${kindOf(v)}`);
          const full = normalizeSemver(v);
          if (full === undefined) return reject('not a semantic version');
          return parts === 3 ? full : full.split(/[.-]/).slice(0, parts).join('.');
        },
        accepts: (v) => (typeof v === 'string' && wire.test(v) ? v : reject('not a reduced semantic version')),
      };
    }
    case 'hashed': {
      const wire = new RegExp(wirePattern(def)!);
      return {
        tier,
        encode: (v, hash) => (typeof v === 'string' && v !== '' ? hash(v) : reject(`expected a non-empty string, got ${kindOf(v)}`)),
        accepts: (v) => (typeof v === 'string' && wire.test(v) ? v : reject('not a hashed identifier')),
      };
    }
    case 'text': {
      const { maxLength } = def;
      const clean = (v: unknown): WireValue | Rejection =>
        typeof v === 'string' ? redactCapped(v, maxLength) : reject(`expected a string, got ${kindOf(v)}`);
      return { tier, encode: clean, accepts: clean };
    }
  }
}
