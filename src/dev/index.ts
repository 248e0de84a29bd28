// `optel dev`: a local OTLP/HTTP receiver with a live dashboard. Wired into the optel command by src/cli.
export { startDevServer } from './server.js';
export type { DevServer, DevServerOptions } from './server.js';
export { runDev, resolveDevHost } from './run-dev.js';
export type { RunDevOptions } from './run-dev.js';
export { createDevStore, DEFAULT_MAX_ITEMS } from './store.js';
export type { DevStore, DevStoreOptions } from './store.js';
export { formatSummary } from './summary.js';
export { isLoopback, DEFAULT_HOST, DEFAULT_PORT } from '../http/loopback.js';
export { openSaveFile } from './save-file.js';
export type { SaveFile } from './save-file.js';
export { DEV_TIERS } from './snapshot.js';
export type {
  DevSnapshot, DevTier, EventSnapshot, TierSnapshot, ResourceSnapshot, LogEntry, SpanEntry, RejectionEntry,
  SaveSnapshot, AttributeBreakdown, HistogramSnapshot, SeriesPoint,
} from './snapshot.js';
