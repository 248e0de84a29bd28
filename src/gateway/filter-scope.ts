import type { OtlpScope } from '../otlp/types.js';
import { SCHEMA_URL_PATTERN } from '../privacy/resource-labels.js';
import { OPTEL_SCOPE } from '../semconv/names.js';
import { clearedDroppedCount } from './dropped-counts.js';
import type { Reasons } from './reasons.js';

const SCHEMA_URL = new RegExp(SCHEMA_URL_PATTERN);

/**
 * The instrumentation scope as the SDK makes it: named `optel` (any other name is cleared), with no
 * version and no attributes. A free name or version would carry upstream what the catalog keeps out.
 */
export function filterScope(scope: OtlpScope | undefined, reasons: Reasons): OtlpScope | undefined {
  if (scope === undefined) return undefined;
  if (scope.attributes.length > 0) reasons.strip('scope attributes');
  const name = scope.name === OPTEL_SCOPE ? OPTEL_SCOPE : '';
  if (name !== scope.name) reasons.strip(`scope names other than ${OPTEL_SCOPE}`);
  if (scope.version !== '') reasons.strip('scope versions');
  return { name, version: '', attributes: [], droppedAttributesCount: clearedDroppedCount(scope.droppedAttributesCount, reasons) };
}

/** A schema URL if it is one of OpenTelemetry's, else '' (a URL is a place to smuggle data). */
export function filterSchemaUrl(url: string, reasons: Reasons): string {
  if (url === '' || SCHEMA_URL.test(url)) return url;
  reasons.strip('a schema URL that is not an opentelemetry.io schema');
  return '';
}
