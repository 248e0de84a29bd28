import { diagLog } from '../diag.js';
import { OPERATOR_RESOURCE_ATTRIBUTES } from '../semconv/names.js';
import { cleanLabel } from './clean-label.js';

/** Longest resource value sent: versions, OS names, ids and environment labels are short; longer is a smuggled payload. */
export const MAX_RESOURCE_VALUE = 128;

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
