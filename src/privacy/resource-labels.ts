import { diagLog } from '../diag.js';
import {
  ATTR_HOST_ARCH, ATTR_OS_TYPE, ATTR_PROCESS_RUNTIME_NAME, ATTR_PROCESS_RUNTIME_VERSION, ATTR_SERVICE_VERSION,
  ATTR_TELEMETRY_SDK_LANGUAGE, ATTR_TELEMETRY_SDK_NAME, ATTR_TELEMETRY_SDK_VERSION, OPERATOR_RESOURCE_ATTRIBUTES,
} from '../semconv/names.js';
import { cleanLabel } from './clean-label.js';

/** Longest resource value sent: versions, OS names, ids and environment labels are short; longer is a smuggled payload. */
export const MAX_RESOURCE_VALUE = 128;

/** Longest scope name or version kept (they name a meter, a logger or a tracer and its version). */
export const MAX_SCOPE_TEXT = 128;
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

/**
 * The values a machine-described resource attribute can take: the semantic conventions' names
 * plus Node's own for what they do not list. Any other value is no operating system or CPU.
 */
const CLOSED: Readonly<Record<string, ReadonlySet<string>>> = {
  [ATTR_OS_TYPE]: new Set(['windows', 'linux', 'darwin', 'freebsd', 'netbsd', 'openbsd', 'dragonflybsd', 'hpux', 'aix', 'solaris', 'zos', 'z_os', 'android', 'cygwin', 'haiku']),
  [ATTR_HOST_ARCH]: new Set(['amd64', 'arm32', 'arm64', 'ia64', 'ppc32', 'ppc64', 's390x', 'x86', 'loong64', 'mips', 'mipsel', 'riscv64', 's390']),
  [ATTR_TELEMETRY_SDK_LANGUAGE]: new Set(['cpp', 'dotnet', 'erlang', 'go', 'java', 'nodejs', 'php', 'python', 'ruby', 'rust', 'swift', 'webjs']),
};
const VERSIONS: ReadonlySet<string> = new Set([ATTR_SERVICE_VERSION, ATTR_PROCESS_RUNTIME_VERSION, ATTR_TELEMETRY_SDK_VERSION]);
/** 1 to 4 numbers, then an optional pre-release or build label: calendar versions too, never a sentence. */
const VERSION = /^v?\d{1,9}(?:\.\d{1,9}){0,3}(?:[-+][0-9A-Za-z.+-]{1,64})?$/;
const TOKENS: ReadonlySet<string> = new Set([ATTR_PROCESS_RUNTIME_NAME, ATTR_TELEMETRY_SDK_NAME]);
/** A runtime's or SDK's name: one short lower-case word (`nodejs`, `optel`, `opentelemetry`). */
const TOKEN = /^[a-z][a-z0-9._-]{0,31}$/;

/**
 * Why a resource value cannot be what its key describes (an OS, a CPU, a version, a runtime's
 * name), or undefined when it can: what the gateway holds clients to, since a free string there
 * would carry what the catalog keeps out. Labels (service and operator names) are only redacted.
 */
export function resourceValueProblem(key: string, value: string): string | undefined {
  const closed = CLOSED[key];
  if (closed !== undefined) return closed.has(value) ? undefined : 'not a known value';
  if (VERSIONS.has(key)) return VERSION.test(value) ? undefined : 'not a version';
  if (TOKENS.has(key)) return TOKEN.test(value) ? undefined : 'not a runtime or SDK name';
  return undefined;
}
