import { describe, expect, it } from 'vitest';
// @ts-expect-error a plain ES module of the benchmarks, without types
import { payloads } from '../../bench/otlp-payloads.mjs';
import { filterRequest } from '../../src/gateway/filter-request.js';
import type { OtlpMetricsRequest } from '../../src/otlp/types.js';
import { compileCatalog } from '../../src/privacy/validator.js';
import type { Catalog } from '../../src/semconv/catalog.js';

describe("the gateway benchmark's exports", () => {
  it('are allowed by the todo catalog point for point, so the benchmark measures the path an honest client takes', async () => {
    // @ts-expect-error the example's plain ES module, without types
    const { catalog } = (await import('../../examples/todo/catalog.mjs')) as { catalog: Catalog };
    const index = compileCatalog(catalog);
    for (const points of [20, 200]) {
      for (const request of payloads(points) as OtlpMetricsRequest[]) {
        const outcome = filterRequest('metrics', request, index);
        expect(outcome.message).toBeFalsy();
        expect(outcome.accepted).toBe(points);
      }
    }
  });
});
