import type { OtlpResource } from '../otlp/types.js';
import { ATTR_APP_INSTALLATION_ID, RESOURCE_ATTRIBUTE_ALLOWLIST } from '../semconv/names.js';
import { clearedDroppedCount } from './dropped-counts.js';
import type { Reasons } from './reasons.js';
import { cleanLabel } from '../privacy/clean-label.js';
import { MAX_RESOURCE_VALUE, resourceValueProblem } from '../privacy/resource-labels.js';

const ALLOWED: ReadonlySet<string> = new Set(RESOURCE_ATTRIBUTE_ALLOWLIST);

/**
 * The resource reduced to the allowlisted attributes (`RESOURCE_ATTRIBUTE_ALLOWLIST`), each a
 * string, redacted, at most 128 characters; `app.installation.id` only when it is a random UUID,
 * an OS, CPU, version or runtime name only when it is one (`resourceValueProblem`).
 * Everything else — `host.name`, `client.address`, `process.command_line`, entity references —
 * is removed and noted in `reasons`. The request is never rejected for its resource.
 */
export function filterResource(resource: OtlpResource | undefined, reasons: Reasons): OtlpResource | undefined {
  if (resource === undefined) return undefined;
  const kept: OtlpResource['attributes'] = [];
  const seen = new Set<string>();
  for (const kv of resource.attributes) {
    const key = kv.key;
    if (!ALLOWED.has(key)) {
      reasons.strip('resource attribute %s (not in the allowlist)', key);
      continue;
    }
    const value = kv.value?.stringValue;
    if (value === undefined) {
      reasons.strip('resource attribute %s (not a string)', key);
      continue;
    }
    if (seen.has(key)) {
      // The first of two is the one kept: the same attribute twice is not a reason, but a change.
      reasons.edit();
      continue;
    }
    const problem = resourceValueProblem(key, value);
    if (problem !== undefined) {
      reasons.strip(`resource attribute %s (${problem})`, key);
      continue;
    }
    if (value.length > MAX_RESOURCE_VALUE) {
      reasons.strip(`resource attribute %s (longer than ${MAX_RESOURCE_VALUE} characters)`, key);
      continue;
    }
    seen.add(key);
    const clean = cleanLabel(value, MAX_RESOURCE_VALUE);
    if (clean === value) {
      kept.push(kv);
      continue;
    }
    reasons.edit();
    kept.push({ key, value: { stringValue: clean } });
  }
  if (resource.entityRefs.length > 0) reasons.strip('resource entity references');
  return { attributes: kept, droppedAttributesCount: clearedDroppedCount(resource.droppedAttributesCount, reasons), entityRefs: [] };
}

/**
 * The installation a resource names, or undefined: its first `app.installation.id` that is a
 * random UUID — the one `filterResource` keeps, so the bucket charged is the id forwarded.
 */
export function installationOf(resource: OtlpResource | undefined): string | undefined {
  if (resource === undefined) return undefined;
  for (const kv of resource.attributes) {
    const value = kv.value?.stringValue;
    if (kv.key === ATTR_APP_INSTALLATION_ID && value !== undefined && isInstallationId(value)) return value;
  }
  return undefined;
}

/** Whether a value is what the SDK sends as `app.installation.id`: a random (lowercase) UUID. */
export function isInstallationId(value: string): boolean {
  return resourceValueProblem(ATTR_APP_INSTALLATION_ID, value) === undefined;
}
