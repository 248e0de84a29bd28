import type { Tier } from '../semconv/attributes.js';
import { envPrefix } from './settings.js';

/** What the first-run notice may be customised with. */
export interface NoticeOptions {
  /** Replaces the whole paragraph. */
  readonly text?: string;
  /** Where users read what is collected (e.g. the generated TELEMETRY.md). */
  readonly docsUrl?: string;
  /** The command that manages consent, default `<app> telemetry`. */
  readonly command?: string;
}

const WHAT: Readonly<Record<Tier, string>> = {
  metrics: 'anonymous usage counts and timings',
  events: 'individual usage events',
  traces: 'traces of command handlers',
};

/** The first-run notice: one short paragraph naming what is collected and every way to opt out. */
export function noticeText(app: string, tiers: Readonly<Record<Tier, boolean>>, options: NoticeOptions = {}): string {
  if (options.text) return options.text.trimEnd();
  const command = options.command ?? `${app} telemetry`;
  const what = (Object.keys(WHAT) as Tier[]).filter((t) => tiers[t]).map((t) => WHAT[t]).join(', ');
  const more = options.docsUrl ? ` Details: ${options.docsUrl}` : '';
  return (
    `${app} collects ${what} to improve the tool; never code, file paths, names, host names or IP addresses. ` +
    `Opt out with \`${command} off\`, ${envPrefix(app)}_TELEMETRY=0 or DO_NOT_TRACK=1.${more}`
  );
}
