import type { Signal } from './settings.js';

/** The files an OTLP/HTTPS exporter may be given: the collector's CA, a client certificate and its key. */
export const TLS_FILES = ['CERTIFICATE', 'CLIENT_CERTIFICATE', 'CLIENT_KEY'] as const;

/** `OTEL_EXPORTER_OTLP_<SIGNAL>_<file>` then `OTEL_EXPORTER_OTLP_<file>`: the order the OTLP exporters read them in. */
export function tlsVariables(file: (typeof TLS_FILES)[number], signal: Signal): readonly [string, string] {
  return [`OTEL_EXPORTER_OTLP_${signal.toUpperCase()}_${file}`, `OTEL_EXPORTER_OTLP_${file}`];
}
