import { allMessagePlans, type FieldPlan, type MessagePlan, requestPlan } from '../../src/otlp/field-plan.js';
import type { OtlpSignal } from '../../src/otlp/signals.js';
import type { OtlpRequestMap } from '../../src/otlp/types.js';

// Seeded random OTLP data for the differential and fuzz tests: every message type and field
// kind of the schema table, in the normalized shape, reproducible from a seed.

/** A small, fast, seeded PRNG (mulberry32): the same seed gives the same test data. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Random helpers over one PRNG. */
export function chooser(random: () => number) {
  const int = (n: number) => Math.floor(random() * n);
  const pick = <T>(list: readonly T[]): T => list[int(list.length)] as T;
  const bigInRange = (min: bigint, max: bigint): bigint => {
    const span = max - min + 1n;
    let r = 0n;
    for (let i = 0; i < 3; i++) r = (r << 32n) | BigInt(Math.floor(random() * 2 ** 32));
    return min + (r % span);
  };
  return { int, pick, bigInRange, chance: (p: number) => random() < p };
}

const WORDS = ['', 'a', 'shop', 'cli.command', 'ünïcødé', '日本語', '😀 emoji', 'x'.repeat(70), 'ann@example.com', '\u0000ctl\n'];
const DOUBLES = [0, -0, 1, -1.5, 0.005, 1e300, -1e-300, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 2 ** 53];

/** A random value of a scalar field kind, as the normalized shape holds it. */
function scalar(kind: FieldPlan['kind'], c: ReturnType<typeof chooser>): unknown {
  switch (kind) {
    case 'string':
      return c.pick(WORDS);
    case 'bool':
      return c.chance(0.5);
    case 'double':
      return c.chance(0.5) ? c.pick(DOUBLES) : (c.int(2_000_000) - 1_000_000) / 7;
    case 'int32':
    case 'enum':
      return c.pick([0, 1, 2, 9, 127, 128, 300, 2 ** 31 - 1, -1, -(2 ** 31), 2 ** 32 - 1, c.int(70_000)]);
    case 'int64':
      return c.chance(0.3) ? c.pick(['0', '1', '-1', '9223372036854775807', '-9223372036854775808']) : String(c.bigInRange(-(2n ** 63n), 2n ** 63n - 1n));
    case 'uint64':
      return c.chance(0.3) ? c.pick(['0', '3', '1795450000000000000', '18446744073709551615']) : String(c.bigInRange(0n, 2n ** 64n - 1n));
    case 'bytes':
      return Buffer.from(Array.from({ length: c.int(6) }, () => c.int(256))).toString('base64');
    case 'id':
      return c.chance(0.2) ? '' : Buffer.from(Array.from({ length: c.pick([8, 16]) }, () => c.int(256))).toString('hex');
    default:
      return undefined;
  }
}

/** A random message of `plan` (AnyValue nesting cut at `depth`). */
export function randomMessage(plan: MessagePlan, c: ReturnType<typeof chooser>, depth = 0): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const taken = new Set<string>();
  for (const f of plan.fields) {
    if (f.oneof && (taken.has(f.oneof) || !c.chance(0.4))) continue;
    if (f.kind === 'message' && depth > 6) {
      if (f.repeated) out[f.name] = [];
      continue;
    }
    const one = () => (f.kind === 'message' ? randomMessage(f.message as MessagePlan, c, depth + 1) : scalar(f.kind, c));
    if (f.repeated) {
      out[f.name] = Array.from({ length: c.int(depth > 3 ? 2 : 4) }, one);
    } else if (f.presence || f.kind === 'message') {
      if (c.chance(0.6)) {
        out[f.name] = one();
        if (f.oneof) taken.add(f.oneof);
      }
    } else {
      out[f.name] = c.chance(0.3) ? f.fill : one();
    }
  }
  return out;
}

/** A random export request of `signal`. */
export function randomRequest<S extends OtlpSignal>(signal: S, c: ReturnType<typeof chooser>): OtlpRequestMap[S] {
  return randomMessage(requestPlan(signal), c) as unknown as OtlpRequestMap[S];
}

/** Every message plan, for tests that want to cover them all. */
export const PLANS = allMessagePlans();
