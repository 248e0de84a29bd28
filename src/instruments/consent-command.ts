import type { Tier } from '../semconv/attributes.js';
import { NO_HOME } from '../config/load.js';
import { tierDecision, type Explanation } from '../config/resolve.js';
import { envPrefix } from '../config/settings.js';
import { TIERS } from '../semconv/attributes.js';
import type { Catalog } from '../semconv/catalog.js';
import { scrubUrl } from '../config/scrub-url.js';
import { terminalText, terminalValue } from '../terminal-text.js';
import { overridden } from './overridden.js';
import { consentTiers, type Telemetry, type TelemetryStatus } from './telemetry.js';

/**
 * The result of a `telemetry …` subcommand: text for the host to print (stdout when `exitCode` is 0,
 * else stderr), and an exit code: 2 when the words were wrong (a usage error, which the commander
 * adapter reports the way commander reports the host's own), 1 when the command could not do it.
 */
export interface CommandResult {
  readonly output: string;
  readonly exitCode: number;
}

/** The actions `runTelemetryCommand` runs, whether each takes tiers, and its line of help. */
export const TELEMETRY_ACTIONS = {
  status: { tiers: false, summary: 'show each setting and the variable, file or default that set it' },
  on: { tiers: true, summary: 'turn on metrics and events, or the tiers named' },
  off: { tiers: true, summary: 'turn off every tier, or the tiers named' },
  'reset-id': { tiers: false, summary: 'replace the installation id' },
} as const;
type TelemetryAction = keyof typeof TELEMETRY_ACTIONS;

/** Renders `telemetry status`: each effective value and the layer that set it. */
export function formatStatus(status: TelemetryStatus): string {
  const { config, app } = status;
  const lines: string[] = [];
  const state = config.killedBy ? `off (kill switch: ${config.killedBy})` : config.enabled ? 'on' : 'off';
  lines.push(`${app} telemetry: ${state}`);
  for (const tier of TIERS) lines.push(`  ${tier.padEnd(8)} ${config.tiers[tier] ? 'on ' : 'off'}  ${source(tierDecision(config.explain, tier))}`);
  if (config.enabled) {
    const explained = (setting: string) => source(config.explain.find((e) => e.setting === setting));
    lines.push(`  flush    ${config.flush}  ${explained('flush')}`);
    lines.push(`  endpoint ${terminalValue(scrubUrl(config.export.endpoints.metrics).replace(/\/v1\/metrics$/, ''))}  ${explained('endpoint.metrics')}`);
    if (config.debug) lines.push('  debug    on (records are printed to stderr, nothing is sent)');
  }
  const ignored = config.explain.flatMap((e) => e.overridden.filter((o) => o.note).map((o) => `  ignored  ${e.setting}=${terminalValue(String(o.value))} from ${o.source} (${o.note})`));
  lines.push(...ignored);
  for (const problem of status.problems ?? []) lines.push(`  problem  ${terminalValue(problem.replace(/^optel: /, ''))}`);
  if (status.installationId) lines.push(`  installation id ${status.installationId}`);
  if (status.paths) {
    lines.push(`  user settings   ${status.paths.userConfigFile}`);
    lines.push(`  state           ${status.paths.stateDir}`);
  }
  // Under a kill switch the on/off commands change nothing yet: what helps is the variable to unset.
  lines.push(config.killedBy === undefined
    ? `Change with \`${app} telemetry on|off [metrics|events|traces]\`; ${envPrefix(app)}_TELEMETRY=0 or DO_NOT_TRACK=1 turn everything off.`
    : config.killedBy === NO_HOME
      ? 'Telemetry stays off while there is no home directory to keep its settings in.'
      : `Telemetry stays off while ${config.killedBy} is set; unset it to turn telemetry back on.`);
  // Settings files are not all the user's own (a project's may be hostile): nothing in them may act on the terminal.
  return terminalText(`${lines.join('\n')}\n`);
}

function source(e: Explanation | undefined): string {
  if (!e) return '';
  if (e.source === 'kill-switch') return '(kill switch)';
  return `(${e.source}${e.origin && e.source !== 'default' ? `: ${e.origin}` : ''})`;
}

/** The tiers named after `on`/`off`, or what is wrong with the words after `action`. */
function parseTiers(action: TelemetryAction, words: readonly string[]): Tier[] | string {
  const option = words.find((w) => w.startsWith('-'));
  if (option !== undefined) return `unknown option '${option}'`;
  if (!TELEMETRY_ACTIONS[action].tiers && words.length > 0) return `${action} takes no arguments`;
  const tiers: Tier[] = [];
  for (const w of words) {
    if (w === 'all') tiers.push(...TIERS);
    else if ((TIERS as readonly string[]).includes(w)) tiers.push(w as Tier);
    else return `unknown tier '${w}' (expected metrics, events, traces or all)`;
  }
  return tiers;
}

/**
 * The ready-made `telemetry status|on|off|reset-id [tiers…]` subcommand, framework-free: the host
 * prints `output` on its own stdout (it is the command's answer, not telemetry).
 */
export function runTelemetryCommand<C extends Catalog>(telemetry: Telemetry<C>, action: string, args: readonly string[] = []): CommandResult {
  if (!Object.hasOwn(TELEMETRY_ACTIONS, action)) {
    return { output: `unknown telemetry command '${action}' (expected status, on, off or reset-id)\n`, exitCode: 2 };
  }
  const tiers = parseTiers(action as TelemetryAction, args);
  if (typeof tiers === 'string') return { output: `${tiers}\n`, exitCode: 2 };
  switch (action as TelemetryAction) {
    case 'status':
      return { output: formatStatus(telemetry.status()), exitCode: 0 };
    case 'on':
    case 'off': {
      const on = action === 'on';
      const choice = tiers.length === 0 ? on : Object.fromEntries(tiers.map((t) => [t, on]));
      const status = telemetry.setConsent(choice, 'command');
      if (status.unsaved === undefined) return { output: formatStatus(status) + overridden(status, consentTiers(choice) ?? {}), exitCode: 0 };
      const file = status.paths?.userConfigFile ?? 'the settings file';
      return {
        output: `${formatStatus(status)}could not save this to ${file} (${status.unsaved}): it holds for this run only${on ? ' and did not turn anything on' : ''}. ` +
          `${envPrefix(telemetry.app)}_TELEMETRY=0 or DO_NOT_TRACK=1 turn telemetry off everywhere.\n`,
        exitCode: 1,
      };
    }
    case 'reset-id': {
      const id = telemetry.resetId();
      if (id) return { output: `new installation id ${id}\n`, exitCode: 0 };
      const { paths, installationId } = telemetry.status();
      if (!paths) return { output: 'no state directory\n', exitCode: 1 };
      if (!telemetry.config.enabled && installationId === undefined) return { output: 'installation id removed; telemetry is off, so no new one is made\n', exitCode: 0 };
      return { output: `could not ${telemetry.config.enabled ? 'write a new' : 'remove the'} installation id in ${paths.stateDir}\n`, exitCode: 1 };
    }
  }
}
