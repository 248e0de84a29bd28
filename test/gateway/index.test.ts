import { describe, expect, it } from 'vitest';
import { DEFAULT_GATEWAY_HOST, startGateway } from 'optel/gateway';
import { catalog, counter, countPoint, metrics, post } from './fixtures.js';
import { startReceiver } from '../support/otlp-receiver.js';

describe('optel/gateway, the embedding entry', () => {
  it('starts a gateway on loopback that forwards what the catalog allows', async () => {
    const upstream = await startReceiver();
    const gateway = await startGateway({ catalog, upstream: upstream.url, port: 0 });
    try {
      expect(gateway.host).toBe(DEFAULT_GATEWAY_HOST);
      const answer = await post(gateway.url, 'metrics', metrics([counter('shop.cart.viewed', [countPoint({ 'items.count': 3 })])]));
      expect(answer.status).toBe(200);
      expect(upstream.requests).toHaveLength(1);
    } finally {
      await gateway.close();
      await upstream.close();
    }
  });
});
