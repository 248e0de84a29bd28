// `optel gateway`: the catalog enforced on the receiving side, in front of any OTLP/HTTP collector.
// Wired into the optel command by src/cli.
export { startGateway, DEFAULT_GATEWAY_HOST, DEFAULT_GATEWAY_PORT, DEFAULT_MAX_BODY_BYTES, HEALTH_PATH } from './server.js';
export type { Gateway, GatewayOptions, GatewayStats } from './server.js';
export { runGateway, parseSize, parseHeaders } from './run-gateway.js';
export type { RunGatewayOptions } from './run-gateway.js';
export { filterRequest, installationsOf, ITEM_NOUNS } from './filter-request.js';
export type { FilterOutcome } from './filter-request.js';
export { createRateLimiter, parseRate, retryAfterSeconds } from './rate-limit.js';
export type { RateLimiter, RateLimiterOptions, RateSpec } from './rate-limit.js';
export { createForwarder } from './forwarder.js';
export type { Forwarder, ForwarderOptions, ForwarderStats, ForwardResult } from './forwarder.js';
