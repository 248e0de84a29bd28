import type { OtlpScope } from '../otlp/types.js';
import { cleanLabel } from '../privacy/clean-label.js';
import { MAX_SCOPE_TEXT, SCHEMA_URL_PATTERN } from '../privacy/resource-labels.js';
import type { Reasons } from './reasons.js';

const SCHEMA_URL = new RegExp(SCHEMA_URL_PATTERN);

/**
 * The instrumentation scope with its name and version redacted and capped, and its attributes
 * removed: the catalog describes none, so none may pass.
 */
export function filterScope(scope: OtlpScope | undefined, reasons: Reasons): OtlpScope | undefined {
  if (scope === undefined) return undefined;
  if (scope.attributes.length > 0) reasons.strip('scope attributes');
  return {
    name: cleanLabel(scope.name, MAX_SCOPE_TEXT),
    version: cleanLabel(scope.version, MAX_SCOPE_TEXT),
    attributes: [],
    droppedAttributesCount: 0,
  };
}

/** A schema URL if it is one of OpenTelemetry's, else '' (a URL is a place to smuggle data). */
export function filterSchemaUrl(url: string, reasons: Reasons): string {
  if (url === '' || SCHEMA_URL.test(url)) return url;
  reasons.strip('a schema URL that is not an opentelemetry.io schema');
  return '';
}
