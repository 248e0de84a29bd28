import type { BugReport } from './bundle.js';
import type { BugReportExplanation } from './config-section.js';
import { TIERS } from '../semconv/attributes.js';
import { terminalValue } from '../terminal-text.js';

function where(e: BugReportExplanation, appDefaultsKnown: boolean): string {
  if (e.source === 'default') return appDefaultsKnown ? 'default' : "optel's default; the app's own is unknown here";
  return e.origin ? `${e.source}: ${e.origin}` : e.source;
}

// Only the span: a report's times count from its first event, so that they match nothing the collector has.
function spanText(ms: number): string {
  if (ms < 60_000) return `${Math.round(ms / 1000)} s`;
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min`;
  return ms < 172_800_000 ? `${(ms / 3_600_000).toFixed(1)} h` : `${(ms / 86_400_000).toFixed(1)} days`;
}

function eventLines(report: BugReport): string[] {
  const byName = new Map<string, { count: number; attributes: Set<string> }>();
  for (const r of report.events) {
    let entry = byName.get(r.name);
    if (!entry) byName.set(r.name, (entry = { count: 0, attributes: new Set() }));
    entry.count++;
    for (const key of Object.keys(r.attrs)) entry.attributes.add(key);
    for (const key of Object.keys(r.extra ?? {})) entry.attributes.add(key);
  }
  const names = [...byName.keys()].sort();
  const width = Math.max(0, ...names.map((n) => n.length));
  return names.map((name) => {
    const { count, attributes } = byName.get(name)!;
    const attrs = attributes.size ? `  attributes: ${[...attributes].sort().join(', ')}` : '';
    return `    ${name.padEnd(width)}  ${String(count).padStart(5)}${attrs}`;
  });
}

/**
 * What a bug report contains, for a person to check before attaching it to an issue: versions and
 * platform, every configuration value with the layer that set it, and the events — how many of
 * each, which attributes, over how long. Ends by saying what is not in it.
 */
export function describeBugReport(report: BugReport): string {
  const { config, platform, events } = report;
  const lines: string[] = [];
  lines.push(`${report.app} bug report (${report.format}), made ${report.createdAt}. It contains:`);
  // The version is whatever the user or the app passed (`--app-version`): printed, never acted on.
  lines.push(`  app       ${report.app} ${terminalValue(report.version)}`);
  lines.push(`  platform  ${platform.os} ${platform.arch}, Node.js ${platform.node}, optel ${platform.optel}`);
  // Made outside the app, a tier no layer set is whatever the app's defaults say, which are not known here.
  const guessed = !config.appDefaultsKnown && config.explain.some((e) => e.source === 'default' && (TIERS as readonly string[]).includes(e.setting));
  const state = config.killedBy ? `off (kill switch: ${config.killedBy})` : `${config.enabled ? 'on' : 'off'}${guessed ? ", unless the app's defaults turn on a tier no layer here sets" : ''}`;
  lines.push(`  telemetry ${state}`);
  lines.push('  configuration (value, and the layer that set it):');
  const width = Math.max(0, ...config.explain.map((e) => e.setting.length));
  for (const e of config.explain) {
    lines.push(`    ${e.setting.padEnd(width)}  ${e.value}  (${where(e, config.appDefaultsKnown)})`);
    for (const o of e.overridden) if (o.note) lines.push(`    ${''.padEnd(width)}  ignored ${o.value} from ${o.source} (${o.note})`);
  }
  if (config.headerNames.length) lines.push(`  header names (values left out): ${config.headerNames.join(', ')}`);
  if (!config.appDefaultsKnown) lines.push(`  note: made outside ${report.app}; \`${report.app} telemetry bug-report\`, where the app offers it, knows its defaults.`);
  if (events.length === 0) lines.push('  events    none in the local history');
  else {
    let first = Infinity;
    let last = -Infinity;
    for (const r of events) [first, last] = [Math.min(first, r.time), Math.max(last, r.time)];
    const leftOut = report.eventsLeftOut ? ` (the newest; ${report.eventsLeftOut} older ones left out)` : '';
    lines.push(`  events    ${events.length}${leftOut}, over ${spanText(last - first)}:`);
    lines.push(...eventLines(report));
  }
  lines.push("  Not in it: variables' values other than those above, file paths, the installation id, this machine's host and user names;");
  lines.push('  endpoint hosts and paths other than loopback and the app\'s default are shown as <host> and <path>; hashed ids are');
  lines.push('  hashed again with a key made for this report alone, and times count from the first event, to the second, so that');
  lines.push('  nothing in it matches what was sent.');
  return `${lines.join('\n')}\n`;
}
