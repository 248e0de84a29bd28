import { terminalText } from './terminal-text.js';
import type { SpoolSummary } from '../spool/inspect.js';

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
    const state = w.deliverable ? 'ready to send' : 'window still open';
    lines.push('', `window ${time(w.start)} – ${time(w.end)} UTC  ${state}  (${w.files} files, ${w.bytes} bytes)`);
    for (const [name, e] of Object.entries(w.events)) {
      lines.push(`  ${name.padEnd(36)} ${String(e.count).padStart(6)}  [${e.tiers.join(', ')}]`);
      for (const [key, values] of Object.entries(e.attributes)) {
        const shown = Object.entries(values).sort((a, b) => b[1] - a[1]).slice(0, 6).map(([v, n]) => `${v}×${n}`).join('  ');
        lines.push(`      ${key}: ${shown}`);
      }
    }
    if (w.corruptLines > 0) lines.push(`  ${w.corruptLines} damaged lines (will be skipped and counted as dropped)`);
    if (w.unreadableFiles > 0) {
      const one = w.unreadableFiles === 1;
      lines.push(`  ${w.unreadableFiles} file${one ? '' : 's'} could not be read (${w.unreadableCodes.join(', ')}): ${one ? 'its' : 'their'} events are not shown`);
    }
  }
  if (s.claimedFiles > 0) lines.push('', `${s.claimedFiles} files are being delivered by a sender right now`);
  if (s.backoff && s.backoff.until > Date.now()) {
    lines.push('', `delivery is backing off after ${s.backoff.failures} failure(s) until ${new Date(s.backoff.until).toISOString()}`);
  }
  return `${lines.join('\n')}\n`;
}
