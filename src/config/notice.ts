import type { Tier } from '../semconv/attributes.js';
import { eventTiers, type Catalog } from '../semconv/catalog.js';
import { envPrefix } from './settings.js';

/** What the first-run notice may be customised with. */
export interface NoticeOptions {
  /** Replaces the whole paragraph. */
  readonly text?: string;
  /** Where users read what is collected (e.g. the generated TELEMETRY.md). */
  readonly docsUrl?: string;
  /**
   * The command that manages consent, default `<app> telemetry` (what `instrumentCommander` adds);
   * false for an app without one (a server, an MCP server): the notice names only the variables.
   */
  readonly command?: string | false;
}

const WHAT: Readonly<Record<Tier, string>> = {
  metrics: 'anonymous usage counts and timings',
  events: 'individual usage events',
  traces: 'traces of command handlers',
};

/**
 * The first-run notice: one short paragraph naming what is collected and every way to opt out.
 * `freeText`: whether what is on may carry free text (the catalog's text attributes) — then the
 * notice says that text is capped and redacted, rather than promising no names or paths at all.
 */
export function noticeText(app: string, tiers: Readonly<Record<Tier, boolean>>, options: NoticeOptions = {}, freeText = false): string {
  if (options.text) return options.text.trimEnd();
  const command = options.command ?? `${app} telemetry`;
  const ways = [...(command === false ? [] : [`\`${command} off\``]), `${envPrefix(app)}_TELEMETRY=0`, 'DO_NOT_TRACK=1'];
  const what = joinWords((Object.keys(WHAT) as Tier[]).filter((t) => tiers[t]).map((t) => WHAT[t]));
  const more = options.docsUrl ? ` Details: ${options.docsUrl}` : '';
  const never = freeText
    ? 'never code, host names or IP addresses, and text it sends is capped and redacted'
    : 'never code, file paths, names, host names or IP addresses';
  return `${app} collects ${what} to improve the tool; ${never}. Opt out with ${joinWords(ways, 'or')}.${more}`;
}

/** Whether the tiers that are on may carry free text: a text attribute on an event that travels beyond metrics. */
export function carriesFreeText(catalog: Catalog, tiers: Readonly<Record<Tier, boolean>>): boolean {
  return Object.values(catalog.events).some((event) =>
    eventTiers(event).some((t) => t !== 'metrics' && tiers[t]) && Object.values(event.attributes ?? {}).some((a) => a.kind === 'text'));
}

/** "a", "a and b", "a, b and c" (or "a, b or c"). */
export function joinWords(words: readonly string[], conjunction: 'and' | 'or' = 'and'): string {
  return words.length < 2 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} ${conjunction} ${words[words.length - 1]}`;
}
