import type { OtlpScope } from '../otlp/types.js';
import { SCHEMA_URL_PATTERN, VERSION } from '../privacy/resource-labels.js';
import { OPTEL_SCOPE } from '../semconv/names.js';
import type { Reasons } from './reasons.js';

const SCHEMA_URL = new RegExp(SCHEMA_URL_PATTERN);
const SCOPE_VERSION = new RegExp(VERSION.pattern);

/**
 * The instrumentation scope as the SDK names it: `optel` (any other name is cleared), a version
 * only when it is one (the SDK sends none), and no attributes (the catalog describes none). A free
 * name or version would carry upstream what the catalog keeps out.
 */
export function filterScope(scope: OtlpScope | undefined, reasons: Reasons): OtlpScope | undefined {
  if (scope === undefined) return undefined;
  if (scope.attributes.length > 0) reasons.strip('scope attributes');
  const name = scope.name === OPTEL_SCOPE ? OPTEL_SCOPE : '';
  if (name !== scope.name) reasons.strip(`scope names other than ${OPTEL_SCOPE}`);
  const version = scope.version === '' || SCOPE_VERSION.test(scope.version) ? scope.version : '';
  if (version !== scope.version) reasons.strip('scope versions that are not versions');
  return { name, version, attributes: [], droppedAttributesCount: 0 };
}

/** A schema URL if it is one of OpenTelemetry's, else '' (a URL is a place to smuggle data). */
export function filterSchemaUrl(url: string, reasons: Reasons): string {
  if (url === '' || SCHEMA_URL.test(url)) return url;
  reasons.strip('a schema URL that is not an opentelemetry.io schema');
  return '';
}
