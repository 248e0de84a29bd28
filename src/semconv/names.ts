/**
 * The OpenTelemetry semantic-convention names optel emits. Kept as local constants so the
 * in-process path does not import `@opentelemetry/semantic-conventions` (a test pins them to it).
 */

/** Logical name of the service: the app's name unless `OTEL_SERVICE_NAME` says otherwise. */
export const ATTR_SERVICE_NAME = 'service.name';
/** Version of the service, as the app declares it. */
export const ATTR_SERVICE_VERSION = 'service.version';
/** Namespace of the service, e.g. a team or product line; only ever from `OTEL_RESOURCE_ATTRIBUTES`. */
export const ATTR_SERVICE_NAMESPACE = 'service.namespace';
/** Deployment environment (`production`, `ci`…); only ever from `OTEL_RESOURCE_ATTRIBUTES`. */
export const ATTR_DEPLOYMENT_ENVIRONMENT_NAME = 'deployment.environment.name';
/** Random per-installation UUID; the convention forbids deriving it from hardware or user names. */
export const ATTR_APP_INSTALLATION_ID = 'app.installation.id';
/** Operating system family (`linux`, `darwin`, `windows`…). */
export const ATTR_OS_TYPE = 'os.type';
/** CPU architecture (`amd64`, `arm64`…). */
export const ATTR_HOST_ARCH = 'host.arch';
/** Runtime name, `nodejs`. */
export const ATTR_PROCESS_RUNTIME_NAME = 'process.runtime.name';
/** Runtime version without the leading `v`. */
export const ATTR_PROCESS_RUNTIME_VERSION = 'process.runtime.version';
/** Name of the telemetry SDK. */
export const ATTR_TELEMETRY_SDK_NAME = 'telemetry.sdk.name';
/** Language of the telemetry SDK. */
export const ATTR_TELEMETRY_SDK_LANGUAGE = 'telemetry.sdk.language';
/** Version of the telemetry SDK. */
export const ATTR_TELEMETRY_SDK_VERSION = 'telemetry.sdk.version';
/** Name of an event carried by a log record. */
export const ATTR_EVENT_NAME = 'event.name';
/** Closed class of an error (`_OTHER` when outside the declared set). */
export const ATTR_ERROR_TYPE = 'error.type';
/** Whether an operation completed without failing (optel's `outcome()` attribute). */
export const ATTR_SUCCESS = 'success';
/** Exit code of a process. */
export const ATTR_PROCESS_EXIT_CODE = 'process.exit.code';
/** Fallback value of `error.type` for classes outside the declared set. */
export const ERROR_TYPE_VALUE_OTHER = '_OTHER';

/**
 * The resource attributes an operator may add through `OTEL_RESOURCE_ATTRIBUTES`: labels of a
 * deployment, which name no person, machine or path. Any other key there is dropped.
 */
export const OPERATOR_RESOURCE_ATTRIBUTES: readonly string[] = [ATTR_SERVICE_NAMESPACE, ATTR_DEPLOYMENT_ENVIRONMENT_NAME];

/** Every resource attribute optel may send; the gateway reduces resources to this set. */
export const RESOURCE_ATTRIBUTE_ALLOWLIST: readonly string[] = [
  ATTR_SERVICE_NAME,
  ATTR_SERVICE_VERSION,
  ATTR_APP_INSTALLATION_ID,
  ATTR_OS_TYPE,
  ATTR_HOST_ARCH,
  ATTR_PROCESS_RUNTIME_NAME,
  ATTR_PROCESS_RUNTIME_VERSION,
  ATTR_TELEMETRY_SDK_NAME,
  ATTR_TELEMETRY_SDK_LANGUAGE,
  ATTR_TELEMETRY_SDK_VERSION,
  ...OPERATOR_RESOURCE_ATTRIBUTES,
];

/** The instrumentation scope of every meter, logger and tracer the SDK makes (with no version). */
export const OPTEL_SCOPE = 'optel';

/** Unit of every event counter. */
export const UNIT_EVENT = '{event}';
/** Unit of every duration histogram. */
export const UNIT_SECONDS = 's';

/** Histogram boundaries in seconds, dense where CLI commands live (5 ms to 10 min). */
export const DURATION_BUCKETS_SECONDS: readonly number[] = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600,
];

/** Suffix of the counter instrument of an event. */
export const COUNT_SUFFIX = '.count';
/** Suffix of the histogram instrument of an event. */
export const DURATION_SUFFIX = '.duration';

/** Log severity text forwarded as sent (case-insensitive, a regex source both JS and RE2 read alike): the OTel names, with 2–4 suffixes. */
export const SEVERITY_TEXT_PATTERN = '(?:TRACE|DEBUG|INFO|WARN|WARNING|ERROR|FATAL)[234]?';
