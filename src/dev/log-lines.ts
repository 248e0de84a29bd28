import { pointCount } from '../otlp/flatten.js';
import type { OtlpSignal } from '../otlp/signals.js';
import type { OtlpKeyValue, OtlpRequestMap } from '../otlp/types.js';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '../semconv/names.js';
import { clip, MAX_NAME } from './clip.js';
import { formatBytes, formatClock } from './format.js';

const ITEM_WORDS: Readonly<Record<OtlpSignal, [string, string]>> = {
  metrics: ['point', 'points'],
  logs: ['record', 'records'],
  traces: ['span', 'spans'],
};

/** The terminal line for an accepted export: `16:20:01  metrics   3 points   todo 1.4.2  protobuf, gzip, 1.2 kB`. */
export function acceptedLine<S extends OtlpSignal>(
  at: number,
  signal: S,
  request: OtlpRequestMap[S],
  how: { format: string; encoding: string; bytes: number },
): string {
  const { items, apps } = describe(signal, request);
  const [one, many] = ITEM_WORDS[signal];
  const what = `${items} ${items === 1 ? one : many}`;
  const wire = [how.format, how.encoding, formatBytes(how.bytes)].filter(Boolean).join(', ');
  return `${formatClock(at)}  ${signal.padEnd(9)}${what.padEnd(12)}${apps.join(', ') || '-'}  (${wire})`;
}

/** The terminal line for a refused (or partly refused) export. */
export function refusedLine(at: number, status: number, path: string, reason: string): string {
  return `${formatClock(at)}  ${status === 200 ? 'partial ' : `${status}     `.slice(0, 8)}${clip(path, 200)}: ${clip(reason, 500)}`;
}

function describe(signal: OtlpSignal, request: OtlpRequestMap[OtlpSignal]): { items: number; apps: string[] } {
  let items = 0;
  const apps = new Set<string>();
  const seeResource = (attributes: readonly OtlpKeyValue[] | undefined) => {
    const get = (key: string) => attributes?.find((a) => a.key === key)?.value?.stringValue;
    const name = get(ATTR_SERVICE_NAME);
    if (name && apps.size < 3) apps.add(clip([name, get(ATTR_SERVICE_VERSION)].filter(Boolean).join(' '), MAX_NAME));
  };
  if (signal === 'metrics') {
    for (const rm of (request as OtlpRequestMap['metrics']).resourceMetrics) {
      seeResource(rm.resource?.attributes);
      for (const sm of rm.scopeMetrics) {
        for (const m of sm.metrics) {
          items += pointCount(m);
        }
      }
    }
  } else if (signal === 'logs') {
    for (const rl of (request as OtlpRequestMap['logs']).resourceLogs) {
      seeResource(rl.resource?.attributes);
      for (const sl of rl.scopeLogs) items += sl.logRecords.length;
    }
  } else {
    for (const rs of (request as OtlpRequestMap['traces']).resourceSpans) {
      seeResource(rs.resource?.attributes);
      for (const ss of rs.scopeSpans) items += ss.spans.length;
    }
  }
  return { items, apps: [...apps] };
}
