import { diagLog } from '../diag.js';
import {
  ATTR_APP_INSTALLATION_ID, ATTR_HOST_ARCH, ATTR_OS_TYPE, ATTR_PROCESS_RUNTIME_NAME, ATTR_PROCESS_RUNTIME_VERSION, ATTR_SERVICE_VERSION,
  ATTR_TELEMETRY_SDK_LANGUAGE, ATTR_TELEMETRY_SDK_NAME, ATTR_TELEMETRY_SDK_VERSION, OPERATOR_RESOURCE_ATTRIBUTES,
} from '../semconv/names.js';
import { cleanLabel } from './clean-label.js';

/** Longest resource value sent: versions, OS names, ids and environment labels are short; longer is a smuggled payload. */
export const MAX_RESOURCE_VALUE = 128;

/**
 * The only schema URLs forwarded, OpenTelemetry's own semantic-convention schemas, as a regex
 * source JS and RE2 read alike (the gateway and the generated Collector configuration apply it).
 */
export const SCHEMA_URL_PATTERN = '^https://opentelemetry\\.io/schemas/[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}$';

const OPERATOR: ReadonlySet<string> = new Set(OPERATOR_RESOURCE_ATTRIBUTES);

/**
 * What the SDK takes from `OTEL_RESOURCE_ATTRIBUTES`: only the operator labels
 * (`OPERATOR_RESOURCE_ATTRIBUTES`), each redacted and cut to 128 characters. Every other key —
 * `host.name`, `user.email`, `process.command_line` — is dropped with a diag line naming the key,
 * never its value: the resource is as closed an allowlist as the catalog.
 */
export function operatorResourceAttributes(attributes: Readonly<Record<string, string>> | undefined, where: string): Record<string, string> | undefined {
  if (attributes === undefined) return undefined;
  const kept: Record<string, string> = {};
  for (const [key, value] of Object.entries(attributes)) {
    if (OPERATOR.has(key)) kept[key] = cleanLabel(value, MAX_RESOURCE_VALUE);
    else diagLog('warn', `${where}: "${key}" is not sent (only ${OPERATOR_RESOURCE_ATTRIBUTES.join(', ')} are); dropped`);
  }
  return kept;
}

/** A value shape as a regex source JS and RE2 read alike, and what a value that does not fit is not. */
export interface ResourceValueShape {
  readonly pattern: string;
  readonly problem: string;
}

const oneOf = (values: readonly string[]): ResourceValueShape => ({ pattern: `^(?:${values.join('|')})$`, problem: 'not a known value' });
/** 1 to 4 numbers, then an optional pre-release or build label: calendar versions too, never a sentence. */
const VERSION: ResourceValueShape = { pattern: '^v?[0-9]{1,9}(?:\\.[0-9]{1,9}){0,3}(?:[-+][0-9A-Za-z.+-]{1,64})?$', problem: 'not a version' };
/** A runtime's or SDK's name: one short lower-case word (`nodejs`, `optel`, `opentelemetry`). */
const TOKEN: ResourceValueShape = { pattern: '^[a-z][a-z0-9._-]{0,31}$', problem: 'not a runtime or SDK name' };

/**
 * What a machine-described resource value (an installation id, an OS, a CPU, a version, a
 * runtime's name) must look like: a random UUID, the semantic conventions' names plus Node's own
 * for what they do not list, versions and short names. The gateway holds clients to it and the generated Collector configuration applies
 * it, since a free string there would carry what the catalog keeps out. Labels (service and
 * operator names) have no shape; they are only redacted.
 */
export const RESOURCE_VALUE_SHAPES: Readonly<Record<string, ResourceValueShape>> = {
  // `crypto.randomUUID()` output, what the SDK sends: anything else could be a name or a hardware id.
  [ATTR_APP_INSTALLATION_ID]: { pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$', problem: 'not a random UUID' },
  [ATTR_OS_TYPE]: oneOf(['windows', 'linux', 'darwin', 'freebsd', 'netbsd', 'openbsd', 'dragonflybsd', 'hpux', 'aix', 'solaris', 'zos', 'z_os', 'android', 'cygwin', 'haiku']),
  [ATTR_HOST_ARCH]: oneOf(['amd64', 'arm32', 'arm64', 'ia64', 'ppc32', 'ppc64', 's390x', 'x86', 'loong64', 'mips', 'mipsel', 'riscv64', 's390']),
  [ATTR_TELEMETRY_SDK_LANGUAGE]: oneOf(['cpp', 'dotnet', 'erlang', 'go', 'java', 'nodejs', 'php', 'python', 'ruby', 'rust', 'swift', 'webjs']),
  [ATTR_SERVICE_VERSION]: VERSION,
  [ATTR_PROCESS_RUNTIME_VERSION]: VERSION,
  [ATTR_TELEMETRY_SDK_VERSION]: VERSION,
  [ATTR_PROCESS_RUNTIME_NAME]: TOKEN,
  [ATTR_TELEMETRY_SDK_NAME]: TOKEN,
};

const COMPILED = new Map(Object.entries(RESOURCE_VALUE_SHAPES).map(([key, shape]) => [key, { test: new RegExp(shape.pattern), problem: shape.problem }]));

/** Why a resource value cannot be what its key describes (see `RESOURCE_VALUE_SHAPES`), or undefined when it can. */
export function resourceValueProblem(key: string, value: string): string | undefined {
  const shape = COMPILED.get(key);
  return shape === undefined || shape.test.test(value) ? undefined : shape.problem;
}
