/** The three OTLP signals optel sends, receives and forwards. */
export type OtlpSignal = 'metrics' | 'logs' | 'traces';

/** Every signal, in a stable order (handy for loops and tests). */
export const OTLP_SIGNALS: readonly OtlpSignal[] = ['metrics', 'logs', 'traces'];

/** The standard OTLP/HTTP request path of each signal. */
export const OTLP_PATHS: Readonly<Record<OtlpSignal, string>> = {
  metrics: '/v1/metrics',
  logs: '/v1/logs',
  traces: '/v1/traces',
};

/**
 * The signal an OTLP/HTTP request path is for, or undefined.
 * Takes a full request target: the query string and a trailing slash are ignored, and any
 * prefix before `/v1/...` is allowed because exporters are often pointed at `http://host/otlp`.
 */
export function signalForPath(path: string): OtlpSignal | undefined {
  let p = path;
  const q = p.search(/[?#]/);
  if (q !== -1) p = p.slice(0, q);
  if (p.length > 1 && p.endsWith('/')) p = p.slice(0, -1);
  for (const signal of OTLP_SIGNALS) {
    if (p.endsWith(OTLP_PATHS[signal])) return signal;
  }
  return undefined;
}
