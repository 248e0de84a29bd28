import { markNoticeShown } from '../config/installation.js';
import type { Env } from '../config/env-layer.js';
import { TIERS } from '../semconv/attributes.js';
import type { ConsentSource } from '../config/user-choice.js';
import { diagLog } from '../diag.js';
import { overridden } from '../instruments/overridden.js';
import type { Telemetry } from '../instruments/telemetry.js';
import type { Tier } from '../semconv/attributes.js';
import type { Catalog } from '../semconv/catalog.js';
import { askYesNo } from './ask-yes-no.js';
import { canPrompt, tell, type PromptInput, type PromptOutput } from './can-prompt.js';
import { joinWords } from '../config/notice.js';
import { consentScreen } from './consent-screen.js';
import { tiersToAsk } from './tiers-to-ask.js';

/** Options of `askConsent`; `default` and `source` are required. */
export interface AskConsentOptions {
  /** What Enter means: the author's default for the asked tiers. */
  readonly default: 'yes' | 'no';
  /** Stored with the answer: `installer` (an install script) or `notice` (the first run of the app). */
  readonly source: ConsentSource;
  /** The tiers the question covers (default metrics and events; traces only when named here). */
  readonly tiers?: readonly Tier[];
  /** Where the answer is read (default `process.stdin`). */
  readonly input?: PromptInput;
  /** Where the explanation and the question go (default `process.stderr`; never stdout). */
  readonly output?: PromptOutput;
  /** Environment read for `CI` (default `process.env`). */
  readonly env?: Env;
  /** The command that manages consent, named on the screen (default `<app> telemetry`). */
  readonly command?: string;
  /** Where users read everything the app can send (e.g. its TELEMETRY.md). */
  readonly docsUrl?: string;
}

/**
 * Why no answer was stored: no terminal (or CI), an earlier answer exists, a kill switch or the
 * admin policy decides, Ctrl+C, EOF or too many unusable answers, or storing it failed.
 */
export type AskConsentReason = 'not-a-tty' | 'already-answered' | 'disabled' | 'interrupted' | 'no-answer' | 'failed';

/** What happened: whether the user saw the question, and the choice stored, if any. */
export interface AskConsentResult {
  readonly asked: boolean;
  readonly choice?: Partial<Record<Tier, boolean>>;
  readonly reason?: AskConsentReason;
}

const DEFAULT_TIERS: readonly Tier[] = ['metrics', 'events'];

/**
 * Asks the user, once, whether to send telemetry: for installers and first runs. Only on a
 * terminal (stdin and `output` both TTYs, `CI` unset); never when a kill switch or the admin policy
 * decides, never once the user's file holds a choice. Shows a one-screen explanation generated from
 * the catalog on stderr, stores the answer with `setConsent(choice, source)` and marks the first-run
 * notice as shown. Headless runs print nothing and store nothing (the first-run notice then applies).
 * Never throws and never writes to stdout.
 */
export async function askConsent<C extends Catalog>(telemetry: Telemetry<C>, options: AskConsentOptions): Promise<AskConsentResult> {
  let asked = false;
  try {
    const input = options.input ?? process.stdin;
    const output = options.output ?? process.stderr;
    const wanted = TIERS.filter((t) => (options.tiers ?? DEFAULT_TIERS).includes(t));
    const open = tiersToAsk(telemetry.status(), wanted);
    if ('reason' in open) return { asked: false, reason: open.reason };
    if (!canPrompt(input, output, options.env ?? process.env)) return { asked: false, reason: 'not-a-tty' };

    const app = telemetry.app;
    const command = options.command ?? `${app} telemetry`;
    const defaultYes = options.default === 'yes';
    const screen = consentScreen(telemetry.catalog, { tiers: open.tiers, defaultYes, command, docsUrl: options.docsUrl, columns: output.columns });
    output.write(screen.text);
    asked = true;
    const answer = await askYesNo({
      input,
      output,
      question: screen.question,
      defaultYes,
      retry: `Please answer y or n (Enter means ${defaultYes ? 'yes' : 'no'}).\n`,
    });
    if (typeof answer !== 'boolean') {
      tell(output, `No answer recorded; decide any time with \`${command} on|off\`.\n`);
      return { asked, reason: answer };
    }

    const choice: Partial<Record<Tier, boolean>> = Object.fromEntries(open.tiers.map((t) => [t, answer]));
    const after = telemetry.setConsent(choice, options.source);
    if (after.unsaved !== undefined) {
      tell(output, `Your answer could not be saved (${after.unsaved}); ${answer ? 'nothing was changed' : 'telemetry is off for this run only'}.\n`);
      return { asked, reason: 'failed' };
    }
    // The user has just read more than the first-run notice says: don't repeat it on the first
    // record. Only when something will be recorded, since off creates no file at all.
    if (after.config.enabled && after.paths) markNoticeShown(after.paths.stateDir);
    // What holds now, not what was answered: a variable (or a kill switch) may keep a tier the other way.
    const word = (t: Tier) => (after.config.tiers[t] ? 'on' : 'off');
    const [first] = open.tiers;
    const state = open.tiers.every((t) => word(t) === word(first as Tier))
      ? `${joinWords(open.tiers)} ${word(first as Tier)}`
      : open.tiers.map((t) => `${t} ${word(t)}`).join(', ');
    tell(output, (answer
      ? `Thank you. ${app} telemetry: ${state}; \`${command} off\` turns it off.\n`
      : `${app} telemetry: ${state}; \`${command} on\` turns it on.\n`) + overridden(after, choice));
    return { asked, choice };
  } catch (error) {
    diagLog('warn', `askConsent failed: ${(error as Error).message}`);
    if (asked) tell(options.output ?? process.stderr, 'Your answer could not be saved; nothing was changed.\n');
    return { asked, reason: 'failed' };
  }
}
