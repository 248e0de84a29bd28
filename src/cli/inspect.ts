import { terminalText, terminalValue } from '../terminal-text.js';
import { plural } from '../dev/format.js';
import type { Tier } from '../semconv/attributes.js';
import type { SpoolSummary, WindowSummary } from '../spool/inspect.js';

const time = (ms: number) => new Date(ms).toISOString().replace('T', ' ').slice(0, 16);

/**
 * Human-readable `optel inspect` output, safe for a terminal whatever the spool holds. `flushAssumed`:
 * the window was not given and is only a guess (an app's own default lives in its code).
 */
export function formatInspect(s: SpoolSummary, flushAssumed = false): string {
  return terminalText(describe(s, flushAssumed));
}

function describe(s: SpoolSummary, flushAssumed: boolean): string {
  if (!s.exists) return `nothing spooled (${s.spoolDir} does not exist)\n`;
  const lines = [`spool: ${s.spoolDir} (flush: ${s.flush}${flushAssumed ? ", assumed: the app's own default is not known here; --flush to say" : ''})`];
  if (s.windows.length === 0) lines.push('  empty');
  for (const w of s.windows) {
    const state = w.deliverable ? 'ready to send' : w.ended ? 'window just ended: ready to send in a few seconds' : 'window still open';
    lines.push('', `${label(w, s.flush === 'immediate')} UTC  ${state}  (${plural(w.files, 'file')}, ${plural(w.bytes, 'byte')})`);
    for (const [name, e] of Object.entries(w.events)) {
      lines.push(`  ${terminalValue(name).padEnd(36)} ${String(e.count).padStart(6)}  [${e.tiers.join(', ')}]`);
      for (const [key, values] of Object.entries(e.attributes)) {
        const shown = Object.entries(values).sort((a, b) => b[1] - a[1]).slice(0, 6).map(([v, n]) => `${terminalValue(v)}×${n}`).join('  ');
        lines.push(`      ${terminalValue(key)}: ${shown}`);
      }
    }
    const withdrawn = Object.entries(w.withdrawn) as [Tier, number][];
    if (withdrawn.length > 0) {
      const parts = withdrawn.map(([tier, n], i) => `${i === 0 ? plural(n, 'occurrence') : n} in the ${tier} tier`);
      lines.push(`  not sent: ${parts.join(', ')} (withdrawn since they were recorded)`);
    }
    if (w.corruptLines > 0) lines.push(`  ${plural(w.corruptLines, 'damaged line')} (will be skipped and counted as dropped)`);
    if (w.unreadableFiles > 0) {
      const one = w.unreadableFiles === 1;
      lines.push(`  ${plural(w.unreadableFiles, 'file')} could not be read (${w.unreadableCodes.join(', ')}): ${one ? 'its' : 'their'} events are not shown`);
    }
  }
  if (s.claimedFiles > 0) lines.push('', `${plural(s.claimedFiles, 'file is', 'files are')} being delivered by a sender right now`);
  if (s.backoff) {
    lines.push('', `delivery is backing off after ${plural(s.backoff.failures, 'failure')} until ${new Date(s.backoff.until).toISOString()}`);
  }
  return `${lines.join('\n')}\n`;
}

/** An hourly or daily window by its bounds; an `immediate` batch has none, only the times its files were written. */
function label(w: WindowSummary, immediate: boolean): string {
  if (!immediate) return `window ${time(w.start)} – ${time(w.end)}`;
  const last = w.end - 1;
  return time(last) === time(w.start) ? `written ${time(w.start)}` : `written ${time(w.start)} – ${time(last)}`;
}
