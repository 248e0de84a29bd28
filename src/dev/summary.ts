import { formatBytes, formatCount, formatMeasure, formatSpan, plural } from './format.js';
import { terminalValue } from '../terminal-text.js';
import { clip } from './clip.js';
import { DEV_TIERS, type DevSnapshot, type EventSnapshot } from './snapshot.js';

const TIER_ITEMS = { metrics: ['data point', 'data points'], events: ['log record', 'log records'], traces: ['span', 'spans'] } as const;

/**
 * The terminal summary `optel dev` prints on exit: one aligned row per event (count, events
 * tier records, spans, failures, p50, p95), then tiers, apps and installations. Plain text.
 */
export function formatSummary(s: DevSnapshot): string {
  const lines: string[] = [];
  // Refused requests are not among the accepted ones (nor in their bytes): counted apart, so "2 of 1" never reads.
  const refused = s.totals.rejectedRequests ? `, ${formatCount(s.totals.rejectedRequests)} refused,` : '';
  lines.push(
    `optel dev: ${plural(s.totals.requests, 'export request')} accepted (${formatBytes(s.totals.bytes)})${refused} in ${formatSpan(s.now - s.startedAt)}`,
  );
  lines.push('');
  if (s.events.length === 0) {
    lines.push('  no events received');
  } else {
    lines.push(...table(['event', 'count', 'records', 'spans', 'failed', 'p50', 'p95'], s.events.map(eventRow)));
  }
  if (s.limits.droppedEvents > 0) lines.push(`  (${s.limits.droppedEvents} items of further events not tracked: over ${s.limits.maxEvents} events)`);
  lines.push('');
  const tiers = DEV_TIERS.map((t) => {
    const tier = s.tiers[t];
    return tier.items > 0 ? `${t} yes (${plural(tier.items, TIER_ITEMS[t][0], TIER_ITEMS[t][1])})` : `${t} no`;
  });
  lines.push(`  tiers          ${tiers.join(', ')}`);
  const apps = s.resources.map((r) => terminalValue(`${r.service}${r.version ? ` ${r.version}` : ''}`));
  lines.push(`  apps           ${apps.length ? apps.join(', ') : '-'}`);
  lines.push(`  installations  ${formatCount(s.installations)}`);
  if (s.totals.rejectedItems > 0) {
    lines.push(`  refused items  ${formatCount(s.totals.rejectedItems)} data points, log records or spans dropped from accepted requests (partial success)`);
  }
  if (s.save) {
    const errors = s.save.errors ? `, ${s.save.errors} failed writes` : '';
    lines.push(`  saved          ${plural(s.save.lines, 'line', 'lines')} to ${s.save.file}${errors}`);
  }
  return `${lines.join('\n')}\n`;
}

function eventRow(e: EventSnapshot): string[] {
  // A sender names the unit too: shown as a value, never as lines of its own.
  const unit = terminalValue(clip(e.duration?.unit ?? 's', 20));
  const failed = e.failures > 0 ? `${formatCount(e.failures)} (${Math.round((e.failures / Math.max(1, e.count)) * 100)}%)` : '-';
  return [
    terminalValue(e.name),
    e.value !== undefined && e.count === 0 ? `=${formatCount(e.value)}` : formatCount(e.count),
    e.counts.events ? formatCount(e.counts.events) : '-',
    e.counts.traces ? formatCount(e.counts.traces) : '-',
    failed,
    formatMeasure(e.duration?.p50, unit),
    formatMeasure(e.duration?.p95, unit),
  ];
}

/** Left-aligns the first column and right-aligns the rest, two spaces apart, indented. */
function table(head: string[], rows: string[][]): string[] {
  const all = [head, ...rows];
  const widths = head.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  return all.map(
    (r) =>
      `  ${r
        .map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
        .join('  ')
        .trimEnd()}`,
  );
}
