import { createRequire } from 'node:module';
import { allMessagePlans } from '../../src/otlp/field-plan.js';
import { SERVICE_MESSAGES } from '../../src/otlp/schema.js';
import type { OtlpSignal } from '../../src/otlp/signals.js';

/**
 * The reference optel's codec is tested against: the protobufjs static module OpenTelemetry
 * generates from the official opentelemetry-proto and publishes on npm,
 * `build/src/generated/root.js` inside `@opentelemetry/otlp-transformer` (a dev dependency under
 * the alias `otlp-proto-root`, pinned to the last release that ships it). Only `root.js` and the
 * `protobufjs/minimal` runtime it requires are loaded.
 */
const PROTO_ROOT_MODULE = 'otlp-proto-root/build/src/generated/root.js';

/** A generated message class, as far as the tests use it. */
export interface ProtoMessageClass {
  decode(bytes: Uint8Array): object;
  encode(message: object): { finish(): Uint8Array };
  toObject(message: object, options: Record<string, unknown>): Record<string, unknown>;
}

/** The generated request classes, and a lookup of the rest. */
export interface OtlpProto {
  /** `ExportMetricsServiceRequest`, `ExportLogsServiceRequest`, `ExportTraceServiceRequest`. */
  readonly requests: Readonly<Record<OtlpSignal, ProtoMessageClass>>;
  /** The namespace object at a path under `opentelemetry.proto` (a class or an enum). */
  lookup(path: string): unknown;
}

let cached: OtlpProto | undefined;

/** root.js, loaded once (and checked against `schema.ts`), on first use. */
export function otlpProto(): OtlpProto {
  if (cached) return cached;
  const require = createRequire(import.meta.url);
  const rootPath = require.resolve(PROTO_ROOT_MODULE);
  const root = require(rootPath) as { opentelemetry?: { proto?: unknown } };
  const namespace = root.opentelemetry?.proto;
  if (!namespace) throw new Error(`otlp: ${PROTO_ROOT_MODULE} does not define opentelemetry.proto`);
  const lookup = (path: string): unknown => {
    let node: unknown = namespace;
    for (const part of path.split('.')) {
      const isNamespace = (typeof node === 'object' && node !== null) || typeof node === 'function';
      node = isNamespace && Object.hasOwn(node as object, part) ? (node as Record<string, unknown>)[part] : undefined;
    }
    return node;
  };
  const requests = () => {
    const classes = {} as Record<OtlpSignal, ProtoMessageClass>;
    for (const signal of Object.keys(SERVICE_MESSAGES) as OtlpSignal[]) {
      const path = SERVICE_MESSAGES[signal].request;
      const cls = lookup(path) as Partial<ProtoMessageClass> | undefined;
      if (typeof cls?.decode !== 'function' || typeof cls.encode !== 'function') {
        throw new Error(`otlp: ${PROTO_ROOT_MODULE} has no message class ${path}`);
      }
      classes[signal] = cls as ProtoMessageClass;
    }
    return classes;
  };
  checkAgainstSchema(lookup);
  cached = { requests: requests(), lookup };
  return cached;
}

/**
 * The field table of `schema.ts` must describe the generated classes exactly: the same fields
 * in the same order (the generated code defines each field on the prototype, in declaration
 * order), and fields with presence defaulting to null there. Checked when root.js loads, so every
 * test that uses the reference checks it; `test/otlp/schema.test.ts` checks the value kinds.
 */
function checkAgainstSchema(lookup: (path: string) => unknown): void {
  for (const plan of allMessagePlans()) {
    const cls = lookup(plan.path) as { prototype?: Record<string, unknown> } | undefined;
    const proto = cls?.prototype;
    if (typeof cls !== 'function' || !proto) {
      throw new Error(`otlp: ${PROTO_ROOT_MODULE} has no message ${plan.path}`);
    }
    // Fields are plain data properties; oneof names are getters, and methods are functions.
    const generated = Object.entries(Object.getOwnPropertyDescriptors(proto))
      .filter(([, d]) => 'value' in d && typeof d.value !== 'function')
      .map(([name]) => name);
    const listed = plan.fields.map((f) => f.name);
    const presenceOk = plan.fields.every((f) => !f.presence || proto[f.name] === null);
    if (generated.join() !== listed.join() || !presenceOk) {
      throw new Error(
        `otlp: ${PROTO_ROOT_MODULE} does not match schema.ts at ${plan.path} (generated: ${generated.join(', ')})`,
      );
    }
  }
}
