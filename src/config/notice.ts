import { TIERS, type Tier } from '../semconv/attributes.js';
import { eventTiers, type Catalog } from '../semconv/catalog.js';
import { tierDecision, type ResolvedConfig } from './resolve.js';
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
 * `byAdmin`: the tiers an administrator's policy keeps on (see `keptOnByAdmin`), which the user's
 * own "off" cannot turn off; the notice says so instead of offering it for them.
 */
export function noticeText(app: string, tiers: Readonly<Record<Tier, boolean>>, options: NoticeOptions = {}, freeText = false, byAdmin: readonly Tier[] = []): string {
  if (options.text) return options.text.trimEnd();
  const command = options.command ?? `${app} telemetry`;
  const everything = [`${envPrefix(app)}_TELEMETRY=0`, 'DO_NOT_TRACK=1'];
  const on = (Object.keys(WHAT) as Tier[]).filter((t) => tiers[t]);
  const kept = on.filter((t) => byAdmin.includes(t));
  const more = options.docsUrl ? ` Details: ${options.docsUrl}` : '';
  const never = freeText
    ? 'never code, host names or IP addresses, and text it sends is capped and redacted'
    : 'never code, file paths, names, host names or IP addresses';
  // The kill switches outrank an admin policy; the user's own "off" does not.
  const rest = kept.length < on.length && command !== false ? `\`${command} off\` turns off the rest, and ` : '';
  const optOut = kept.length === 0
    ? `Opt out with ${joinWords([...(command === false ? [] : [`\`${command} off\``]), ...everything], 'or')}.`
    : `An administrator's policy keeps ${joinWords(kept.map((t) => WHAT[t]))} on: ${rest}${joinWords(everything, 'or')} turn everything off.`;
  return `${app} collects ${joinWords(on.map((t) => WHAT[t]))} to improve the tool; ${never}. ${optOut}${more}`;
}

/** The tiers on because an administrator's policy says so: the user's choice and the environment's tier switches cannot turn them off. */
export function keptOnByAdmin(config: ResolvedConfig): Tier[] {
  return TIERS.filter((t) => config.tiers[t] && tierDecision(config.explain, t).source === 'admin');
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
