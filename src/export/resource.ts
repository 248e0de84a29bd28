import { resourceFromAttributes, type Resource } from '@opentelemetry/resources';
import {
  ATTR_APP_INSTALLATION_ID, ATTR_HOST_ARCH, ATTR_OS_TYPE, ATTR_PROCESS_RUNTIME_NAME, ATTR_PROCESS_RUNTIME_VERSION,
  ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION, ATTR_TELEMETRY_SDK_LANGUAGE, ATTR_TELEMETRY_SDK_NAME, ATTR_TELEMETRY_SDK_VERSION,
} from '../semconv/names.js';
import { OPTEL_VERSION } from '../version.js';
import { resourceValueProblem } from '../privacy/resource-labels.js';

/** Who sent the data: the app, its version, and the random installation id. */
export interface ResourceIdentity {
  readonly serviceName: string;
  readonly version: string;
  readonly installationId: string;
  /** From `OTEL_RESOURCE_ATTRIBUTES`; cannot override the identity above. */
  readonly extra?: Readonly<Record<string, string>>;
}

const OS_TYPE: Readonly<Record<string, string>> = { win32: 'windows', sunos: 'solaris' };
const ARCH: Readonly<Record<string, string>> = { x64: 'amd64', ia32: 'x86', arm: 'arm32', ppc: 'ppc32' };

/**
 * The resource every signal carries. Built by hand, not by OTel's detectors: those add the host
 * name, the executable's path and the command line, which name people and machines.
 */
export function buildResource(identity: ResourceIdentity): Resource {
  return resourceFromAttributes({
    ...identity.extra,
    [ATTR_SERVICE_NAME]: identity.serviceName,
    // Only a version (as the gateway holds it): a host's odd value must not carry a path or a name out.
    ...(resourceValueProblem(ATTR_SERVICE_VERSION, identity.version) === undefined ? { [ATTR_SERVICE_VERSION]: identity.version } : {}),
    [ATTR_APP_INSTALLATION_ID]: identity.installationId,
    [ATTR_OS_TYPE]: OS_TYPE[process.platform] ?? process.platform,
    [ATTR_HOST_ARCH]: ARCH[process.arch] ?? process.arch,
    [ATTR_PROCESS_RUNTIME_NAME]: 'nodejs',
    [ATTR_PROCESS_RUNTIME_VERSION]: process.versions.node,
    [ATTR_TELEMETRY_SDK_NAME]: 'optel',
    [ATTR_TELEMETRY_SDK_LANGUAGE]: 'nodejs',
    [ATTR_TELEMETRY_SDK_VERSION]: OPTEL_VERSION,
  });
}
