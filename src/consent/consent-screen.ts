import { carriesFreeText, joinWords } from '../config/notice.js';
import { envPrefix } from '../config/settings.js';
import { describeAttribute } from '../generate/describe-attribute.js';
import type { Tier } from '../semconv/attributes.js';
import { eventTiers, type Catalog } from '../semconv/catalog.js';

/** What the consent screen is built from besides the catalog. */
export interface ConsentScreenOptions {
  /** The tiers the question is about (in `TIERS` order). */
  readonly tiers: readonly Tier[];
  /** Whether Enter means yes. */
  readonly defaultYes: boolean;
  /** The command that manages consent, default `<app> telemetry`. */
  readonly command?: string;
  /** Where the full list lives (e.g. the generated TELEMETRY.md). */
  readonly docsUrl?: string;
  /** Terminal width: longer event lines are cut with `…` so each event stays on one line (default 80). */
  readonly columns?: number;
}

/** The explanation shown above the question, and the question itself (ending in `[Y/n] `). */
export interface ConsentScreen {
  readonly text: string;
  readonly question: string;
}

// Beyond this the list stops fitting one screen; the rest is in TELEMETRY.md.
const MAX_EVENTS = 12;

const TIER_PHRASE: Readonly<Record<Tier, string>> = {
  metrics: 'counts and timings (metrics)',
  events: 'one record per occurrence (events)',
  traces: 'a span per command (traces)',
};


function fit(line: string, columns: number): string {
  return line.length <= columns ? line : `${line.slice(0, Math.max(columns - 1, 0))}…`;
}

// A trailing parenthesis elaborates ("… per UTC day (daily active installations)."): one line needs only the sentence.
const brief = (description: string) => description.replace(/\s*\([^()]*\)(\.?)$/, '$1');

/**
 * Builds the one-screen explanation from the catalog, so the question can never promise less than
 * the code sends: every event the asked tiers would carry (one line each, grouped by what is sent
 * of it), what records may add, what is never collected and every way to change the answer later.
 * About 20 lines for a small catalog; attribute wording comes from `describeAttribute`, shared
 * with TELEMETRY.md.
 */
export function consentScreen(catalog: Catalog, options: ConsentScreenOptions): ConsentScreen {
  const { app } = catalog;
  const asked = options.tiers;
  const columns = options.columns && options.columns >= 40 ? options.columns : 80;
  const command = options.command ?? `${app} telemetry`;

  const groups = new Map<string, { tiers: Tier[]; events: Array<[string, string]> }>();
  const bounded = new Set<string>();
  const carried = new Map<string, string>();
  let total = 0;
  for (const [name, event] of Object.entries(catalog.events)) {
    const tiers = eventTiers(event).filter((t) => asked.includes(t));
    if (tiers.length === 0) continue;
    total++;
    const key = tiers.join(',');
    if (!groups.has(key)) groups.set(key, { tiers, events: [] });
    groups.get(key)!.events.push([name, brief(event.description)]);
    for (const [attribute, def] of Object.entries(event.attributes ?? {})) {
      const { type } = describeAttribute(def);
      if (def.tier === 'metrics' && tiers.includes('metrics')) bounded.add(type);
      else if (def.tier !== 'metrics' && tiers.some((t) => t !== 'metrics')) carried.set(attribute, type);
    }
  }
  // The richest group first: that is where the app's own events are.
  const ordered = [...groups.values()].sort((a, b) => b.tiers.length - a.tiers.length);
  const width = Math.max(0, ...ordered.flatMap((g) => g.events.map(([name]) => name.length))) + 2;

  const out: string[] = [`${app} would like to send usage telemetry to help its authors improve it.`];
  let shown = 0;
  for (const group of ordered) {
    if (shown >= MAX_EVENTS) break;
    const heading = joinWords(group.tiers.map((t) => TIER_PHRASE[t]));
    out.push(`${heading[0]!.toUpperCase()}${heading.slice(1)} of:`);
    for (const [name, description] of group.events.slice(0, MAX_EVENTS - shown)) {
      out.push(fit(`  ${name.padEnd(width)}${description}`, columns));
      shown++;
    }
  }
  if (total > shown) out.push(`  …and ${total - shown} more${options.docsUrl ? ' (see below)' : ' (`optel docs` lists them all)'}`);
  // Never cut what records carry: on a narrow terminal these wrap instead.
  if (bounded.size > 0) out.push(`Counts are split only by ${joinWords([...bounded])} values.`);
  if (carried.size > 0) out.push(`Records may also carry ${joinWords([...carried].map(([a, type]) => `${a} (${type})`))}.`);
  out.push('');
  if (carriesFreeText(catalog, { metrics: asked.includes('metrics'), events: asked.includes('events'), traces: asked.includes('traces') })) {
    // Text fields may hold what a user typed: promise what the redactor does, not more.
    out.push('Never: code, host or user names, IP addresses or error messages.');
    out.push('Text it may send is capped and redacted (emails, absolute paths, keys, tokens);');
    out.push('ids are hashed with a salt kept here.');
  } else {
    out.push('Never: code, file names or paths, arguments, host or user names, IP addresses or');
    out.push('error messages. Ids are hashed with a salt kept here.');
  }
  out.push(`Change it any time: \`${command} on|off\`, ${envPrefix(app)}_TELEMETRY=0 or DO_NOT_TRACK=1.`);
  if (options.docsUrl) out.push(`Everything it can send: ${options.docsUrl}`);
  out.push('');
  const question = `Send usage ${joinWords(asked)} to the ${app} authors? ${options.defaultYes ? '[Y/n]' : '[y/N]'} `;
  return { text: `${out.join('\n')}\n`, question };
}
