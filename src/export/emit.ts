import { ROOT_CONTEXT, SpanKind, SpanStatusCode, ValueType, type Histogram, type Meter, type Tracer } from '@opentelemetry/api';
import type { Logger } from '@opentelemetry/api-logs';
import type { EventRecord } from '../recorder/event-record.js';
import { CountRollup } from './count-rollup.js';
import {
  ATTR_EVENT_NAME, COUNT_SUFFIX, DURATION_BUCKETS_SECONDS, DURATION_SUFFIX, UNIT_EVENT, UNIT_SECONDS,
} from '../semconv/names.js';

/** The OTel API handles a record is replayed into; any may be absent when its tier is off. */
export interface SignalHandles {
  readonly meter?: Meter;
  readonly logger?: Logger;
  readonly tracer?: Tracer;
}

/** Records events into the real OTel instruments. */
export interface Emitter {
  /** Records one event. */
  emit(record: EventRecord): void;
  /** Hands counts summed since the last collection to the counters; call right before every metric collection. */
  drainCounts(): void;
}

/**
 * Maps each event to its pair of instruments (created once per name): a counter `<event>.count`
 * (its increments summed per attribute set between collections, see CountRollup) and, for timed
 * events, a histogram `<event>.duration` in seconds with CLI-sized buckets; plus one log record (events tier) and one
 * span (traces tier). Shared by the daemon's live path and the sender.
 */
export function createEmitter(handles: SignalHandles, describe: (name: string) => string | undefined): Emitter {
  // One lookup per record: the pair of instruments of each event, created on first use.
  const pairs = new Map<string, { counts: CountRollup; histogram: Histogram | undefined }>();
  const { meter, logger, tracer } = handles;

  const pairOf = (m: Meter, name: string, timed: boolean) => {
    let pair = pairs.get(name);
    if (!pair) {
      const description = describe(name) ?? '';
      const counts = new CountRollup(m.createCounter(name + COUNT_SUFFIX, { unit: UNIT_EVENT, description, valueType: ValueType.INT }));
      pair = { counts, histogram: undefined };
      pairs.set(name, pair);
    }
    if (timed && !pair.histogram) {
      pair.histogram = m.createHistogram(name + DURATION_SUFFIX, {
        unit: UNIT_SECONDS,
        description: describe(name) ?? '',
        advice: { explicitBucketBoundaries: [...DURATION_BUCKETS_SECONDS] },
      });
    }
    return pair;
  };

  const emit = (record: EventRecord): void => {
    for (const tier of record.tiers) {
      if (tier === 'metrics' && meter) {
        const timed = record.duration !== undefined;
        const pair = pairOf(meter, record.name, timed);
        pair.counts.add(record.count ?? 1, record.attrs);
        if (timed) pair.histogram!.record(record.duration!, record.attrs);
      } else if (tier === 'events' && logger) {
        // In the root context: a host's active span must not lend its trace ids to optel's data.
        logger.emit({
          context: ROOT_CONTEXT,
          eventName: record.name,
          timestamp: record.time,
          attributes: { ...record.attrs, ...record.extra, [ATTR_EVENT_NAME]: record.name },
        });
      } else if (tier === 'traces' && tracer && record.duration !== undefined) {
        const span = tracer.startSpan(record.name, {
          kind: SpanKind.INTERNAL,
          startTime: record.time - record.duration * 1000,
          attributes: { ...record.attrs, ...record.extra },
        }, ROOT_CONTEXT);
        if (record.attrs.success === false) span.setStatus({ code: SpanStatusCode.ERROR });
        span.end(record.time);
      }
    }
  };
  return {
    emit,
    drainCounts() {
      for (const pair of pairs.values()) pair.counts.drain();
    },
  };
}
