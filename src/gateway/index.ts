// `optel/gateway`: the gateway embedded in a server process of your own (the `optel gateway`
// command is the same server, started by src/cli).
export { startGateway, DEFAULT_GATEWAY_HOST, DEFAULT_GATEWAY_PORT, DEFAULT_MAX_BODY_BYTES, HEALTH_PATH } from './server.js';
export type { Gateway, GatewayOptions, GatewayStats } from './server.js';
