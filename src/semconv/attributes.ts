/** The tiers a signal can travel in, from most anonymous to richest (the order consent is asked in). */
export const TIERS = ['metrics', 'events', 'traces'] as const;
/** One of `TIERS`. */
export type Tier = (typeof TIERS)[number];

/**
 * The lowest tier an attribute may appear in: `metrics` attributes appear everywhere,
 * `events` attributes only on log records and spans (never on aggregates).
 */
export type AttributeTier = 'metrics' | 'events';

interface AttributeBase {
  /** One sentence for TELEMETRY.md: what the value says and why it is collected. */
  readonly description?: string;
  /** Lowest tier the attribute may appear in. */
  readonly tier: AttributeTier;
}

/** A closed set of string values; anything else is dropped, or mapped to `fallback` when set. */
export interface EnumAttribute<V extends string = string> extends AttributeBase {
  readonly kind: 'enum';
  readonly values: readonly V[];
  readonly fallback?: string;
}
/** `true` or `false`. */
export interface BooleanAttribute extends AttributeBase {
  readonly kind: 'boolean';
}
/** A whole number within `[min, max]`. */
export interface IntAttribute extends AttributeBase {
  readonly kind: 'int';
  readonly min: number;
  readonly max: number;
}
/** A number reported only as the bucket it falls in (`"5-10"`), never as itself. */
export interface BucketAttribute extends AttributeBase {
  readonly kind: 'bucket';
  readonly bounds: readonly number[];
}
/** A semantic version, reduced to `major.minor.patch[-prerelease]` (or coarser, by `precision`). */
export interface SemverAttribute extends AttributeBase {
  readonly kind: 'semver';
  /** `minor` sends `1.4`, `major` sends `1`: version buckets for low-cardinality aggregates. */
  readonly precision?: 'major' | 'minor' | 'patch';
}
/** An identifier that must join across events but never leave the machine: HMAC-SHA256 with a local salt. */
export interface HashedAttribute extends AttributeBase {
  readonly kind: 'hashed';
}
/** A free-form string: redacted, then capped at `maxLength`. Only where explicitly declared. */
export interface TextAttribute extends AttributeBase {
  readonly kind: 'text';
  readonly maxLength: number;
}

/** Any attribute definition. */
export type AttributeDefinition =
  | EnumAttribute
  | BooleanAttribute
  | IntAttribute
  | BucketAttribute
  | SemverAttribute
  | HashedAttribute
  | TextAttribute;

/** The value an author passes for an attribute, inferred from its definition. */
export type AttributeInput<A> = A extends EnumAttribute<infer V>
  ? V
  : A extends BooleanAttribute
    ? boolean
    : A extends IntAttribute | BucketAttribute
      ? number
      : A extends SemverAttribute | HashedAttribute | TextAttribute
        ? string
        : never;

/** Options common to every attribute builder. */
export interface AttributeOptions {
  description?: string;
  tier?: AttributeTier;
}

const MAX_TEXT = 1024;

// Every distinct value of a metric attribute is a time series kept per installation: free text or an
// id there would be unbounded, and would tie "anonymous counts" to a person's project or words.
const NOT_A_DIMENSION = (what: string) => `${what} may only travel in the events tier (log records and spans), never as a metric attribute`;

const CATALOG_ERROR = 'optel catalog: ';

/** Throws a catalog definition error: a TypeError whose message starts `optel catalog: ` (see `catalogProblem`). */
export function catalogError(message: string): never {
  // Definition time may throw: a broken catalog is the author's bug, found on first import.
  throw new TypeError(CATALOG_ERROR + message);
}

/**
 * What a catalog definition error says, without its prefix; undefined for any other error. Read from
 * the message, not the class: a catalog module may have imported another copy of optel (the bundle).
 */
export function catalogProblem(error: unknown): string | undefined {
  const message = error instanceof Error ? error.message : undefined;
  return message?.startsWith(CATALOG_ERROR) ? message.slice(CATALOG_ERROR.length) : undefined;
}

function assert(condition: boolean, message: string): void {
  if (!condition) catalogError(message);
}

function base(options: AttributeOptions | undefined, tier: AttributeTier) {
  assert(options === undefined || (typeof options === 'object' && options !== null), 'attribute options must be an object, e.g. { tier: "events" }');
  const out: { tier: AttributeTier; description?: string } = { tier: options?.tier ?? tier };
  if (options?.description !== undefined) out.description = options.description;
  return out;
}

/** Attribute builders; every one is a pure definition checked when the catalog is declared. */
export const attr = {
  /** A closed set of values (`fallback` maps unknown values to e.g. `_OTHER` instead of dropping them). */
  enum<const V extends string>(
    values: readonly V[],
    options?: AttributeOptions & { fallback?: string },
  ): EnumAttribute<V> {
    assert(Array.isArray(values) && values.every((v) => typeof v === 'string'), 'attr.enum() takes an array of strings, e.g. attr.enum([\'add\', \'list\'])');
    assert(values.length > 0, 'an enum needs at least one value');
    assert(new Set(values).size === values.length, `enum values repeat: ${values.join(', ')}`);
    const out: EnumAttribute<V> = { kind: 'enum', values: [...values], ...base(options, 'metrics') };
    return options?.fallback === undefined ? out : { ...out, fallback: options.fallback };
  },
  /** A boolean. */
  boolean(options?: AttributeOptions): BooleanAttribute {
    return { kind: 'boolean', ...base(options, 'metrics') };
  },
  /** A whole number within `[min, max]`. */
  int(range: { min: number; max: number }, options?: AttributeOptions): IntAttribute {
    assert(typeof range === 'object' && range !== null, 'attr.int() takes its range, e.g. attr.int({ min: 0, max: 10 })');
    assert(Number.isSafeInteger(range.min) && Number.isSafeInteger(range.max), 'int bounds must be safe integers');
    assert(range.min <= range.max, `int range ${range.min}..${range.max} is empty`);
    return { kind: 'int', min: range.min, max: range.max, ...base(options, 'metrics') };
  },
  /** A number reported as the bucket it falls in; `bounds` ascending, e.g. `[0, 1, 5, 10, 50]`. */
  bucket(bounds: readonly number[], options?: AttributeOptions): BucketAttribute {
    assert(Array.isArray(bounds), 'attr.bucket() takes an array of bounds, e.g. attr.bucket([0, 10, 100])');
    assert(bounds.length > 0, 'a bucket attribute needs at least one bound');
    assert(bounds.every((b, i) => Number.isFinite(b) && (i === 0 || b > bounds[i - 1]!)), 'bucket bounds must ascend');
    return { kind: 'bucket', bounds: [...bounds], ...base(options, 'metrics') };
  },
  /** A semantic version (`1.4.2`), reduced to major.minor.patch[-prerelease]. */
  semver(options?: AttributeOptions & { precision?: 'major' | 'minor' | 'patch' }): SemverAttribute {
    const out: SemverAttribute = { kind: 'semver', ...base(options, 'metrics') };
    return options?.precision && options.precision !== 'patch' ? { ...out, precision: options.precision } : out;
  },
  /** An identifier hashed locally with the installation's salt; events tier only (never a metric dimension). */
  hashed(options?: AttributeOptions): HashedAttribute {
    const out: HashedAttribute = { kind: 'hashed', ...base(options, 'events') };
    assert(out.tier === 'events', NOT_A_DIMENSION('a hashed id'));
    return out;
  },
  /** A redacted, capped free-form string; events tier only (never a metric dimension). */
  text(limits: { maxLength: number }, options?: AttributeOptions): TextAttribute {
    assert(typeof limits === 'object' && limits !== null, 'attr.text() takes its limit, e.g. attr.text({ maxLength: 200 })');
    assert(Number.isInteger(limits.maxLength) && limits.maxLength > 0 && limits.maxLength <= MAX_TEXT,
      `text maxLength must be 1..${MAX_TEXT}`);
    const out: TextAttribute = { kind: 'text', maxLength: limits.maxLength, ...base(options, 'events') };
    assert(out.tier === 'events', NOT_A_DIMENSION('free text'));
    return out;
  },
};

const KINDS: ReadonlySet<string> = new Set(['enum', 'boolean', 'int', 'bucket', 'semver', 'hashed', 'text']);

/**
 * Checks an attribute definition that may not have come from `attr` (plain JavaScript, a typo like
 * `{ k: 'string' }`) by running the builders' own rules on it again, so a broken definition fails
 * where the catalog is declared instead of deep inside whatever first reads it.
 */
export function checkAttribute(definition: unknown, where: string): void {
  const d = (typeof definition === 'object' && definition !== null ? definition : {}) as Record<string, unknown>;
  try {
    assert(typeof d.kind === 'string' && KINDS.has(d.kind), 'not an attribute definition: make it with attr.enum(), attr.int() and the like');
    assert(d.tier === 'metrics' || d.tier === 'events', 'its tier must be "metrics" or "events"');
    assert(d.description === undefined || typeof d.description === 'string', 'its description must be a string');
    if (d.kind === 'enum') {
      assert(Array.isArray(d.values) && d.values.every((v) => typeof v === 'string'), 'enum values must be strings');
      assert(d.fallback === undefined || typeof d.fallback === 'string', 'an enum fallback must be a string');
      attr.enum(d.values as string[]);
    } else if (d.kind === 'int') {
      attr.int({ min: d.min as number, max: d.max as number });
    } else if (d.kind === 'bucket') {
      assert(Array.isArray(d.bounds), 'bucket bounds must be an array of numbers');
      attr.bucket(d.bounds as number[]);
    } else if (d.kind === 'text') {
      attr.text({ maxLength: d.maxLength as number }, { tier: d.tier as AttributeTier });
    } else if (d.kind === 'hashed') {
      attr.hashed({ tier: d.tier as AttributeTier });
    } else if (d.kind === 'semver') {
      assert(d.precision === undefined || ['major', 'minor', 'patch'].includes(d.precision as string), 'semver precision must be major, minor or patch');
    }
  } catch (error) {
    catalogError(`${where}: ${catalogProblem(error) ?? (error as Error).message}`);
  }
}
