import { describe, expect, it } from 'vitest';
import { filterSchemaUrl, filterScope } from '../../src/gateway/filter-scope.js';
import { createReasons } from '../../src/gateway/reasons.js';
import { OPTEL_SCOPE } from '../../src/semconv/names.js';

const scope = (name: string, version: string) => ({ name, version, attributes: [{ key: 'worker', value: { stringValue: 'ann-laptop' } }], droppedAttributesCount: 7 });

describe('filtering an instrumentation scope', () => {
  it('keeps what the SDK sends — the name optel, no version — and nothing else a client may fill', () => {
    const reasons = createReasons('items');
    expect(filterScope({ name: OPTEL_SCOPE, version: '', attributes: [], droppedAttributesCount: 0 }, reasons)).toEqual({ name: OPTEL_SCOPE, version: '', attributes: [], droppedAttributesCount: 0 });
    expect(reasons.message()).toBe('');
  });

  it('clears any other name, any version, attributes and the dropped count, and says so', () => {
    const reasons = createReasons('items');
    for (const [name, version] of [['LEAK Alice Smith', '1.0.0-192.168.1.23'], ['todo', '1.0.0+ann.smith-example.com']] as const) {
      expect(filterScope(scope(name, version), reasons)).toEqual({ name: '', version: '', attributes: [], droppedAttributesCount: 0 });
    }
    expect(reasons.message()).toMatch(/scope attributes.*scope names other than optel.*scope versions/);
    expect(reasons.message()).not.toMatch(/Alice|192\.168|ann\.smith/);
  });

  it('keeps only opentelemetry.io schema URLs', () => {
    const reasons = createReasons('items');
    expect(filterSchemaUrl('https://opentelemetry.io/schemas/1.26.0', reasons)).toBe('https://opentelemetry.io/schemas/1.26.0');
    expect(filterSchemaUrl('https://example.com/?u=ann', reasons)).toBe('');
  });
});
