/** A measurement in its unit, readable: seconds become `4.12 ms`, `1.30 s` or `2m 05s`. */
export function formatMeasure(value: number | undefined, unit: string): string {
  if (value === undefined || !Number.isFinite(value)) return '-';
  const seconds = unit === 's' ? value : unit === 'ms' ? value / 1000 : unit === 'us' ? value / 1e6 : undefined;
  if (seconds === undefined) return `${significant(value)}${unit && !unit.startsWith('{') ? ` ${unit}` : ''}`;
  if (seconds < 0.001) return `${significant(seconds * 1e6)} µs`;
  if (seconds < 1) return `${significant(seconds * 1000)} ms`;
  if (seconds < 60) return `${significant(seconds)} s`;
  return formatSpan(seconds * 1000);
}

/** A count with thousands separators; fractional values keep two decimals. */
export function formatCount(n: number): string {
  return Number.isInteger(n) ? n.toLocaleString('en-US') : n.toLocaleString('en-US', { maximumFractionDigits: 2 });
}

/** A count and its noun, singular for exactly one: `1 file`, `2 files`, `1,024 data points`. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

/** A byte size: `512 B`, `1.2 kB`, `3.4 MB`. */
export function formatBytes(n: number): string {
  if (n < 1000) return `${n} B`;
  if (n < 1e6) return `${significant(n / 1000)} kB`;
  return `${significant(n / 1e6)} MB`;
}

/** A duration in ms as `45s`, `2m 05s` or `1h 02m`. */
export function formatSpan(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`;
}

/** Local wall-clock time `HH:MM:SS`. */
export function formatClock(ms: number): string {
  const d = new Date(ms);
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
}

/** Three significant digits, without trailing zeros past the point: 4.12, 41.2, 412. */
function significant(v: number): string {
  if (v === 0) return '0';
  const digits = Math.max(0, 2 - Math.floor(Math.log10(Math.abs(v))));
  return String(Number(v.toFixed(Math.min(digits, 6))));
}
