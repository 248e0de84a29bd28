import { NO_HOME } from '../config/load.js';
import { joinWords } from '../config/notice.js';
import { tierDecision, type Explanation } from '../config/resolve.js';
import { TIERS, type Tier } from '../semconv/attributes.js';
import type { TelemetryStatus } from './telemetry.js';

/** The layer an explanation names, as a user would look for it: a variable, or a file said to be what it is. */
function layerNamed(e: Explanation): string {
  if (e.source === 'admin') return `the admin policy ${e.origin}`;
  return e.origin ?? `the ${e.source} settings`;
}

/**
 * What keeps a choice just saved from taking effect, one line per layer that overrides it (a kill
 * switch, the admin policy, a variable): the same explanation `telemetry status` shows per tier.
 */
export function overridden(status: TelemetryStatus, chosen: Partial<Record<Tier, boolean>>): string {
  const { config } = status;
  const byLayer = new Map<string, { e: Explanation; on: boolean; tiers: Tier[] }>();
  for (const tier of TIERS) {
    const on = chosen[tier];
    if (on === undefined || config.tiers[tier] === on) continue;
    const e = tierDecision(config.explain, tier);
    const key = `${e.source} ${e.origin} ${on}`;
    const entry = byLayer.get(key) ?? { e, on, tiers: [] };
    entry.tiers.push(tier);
    byLayer.set(key, entry);
  }
  const lines = [...byLayer.values()].map(({ e, on, tiers }) => {
    if (e.source !== 'kill-switch') {
      const them = tiers.length > 1 ? 'them' : 'it';
      return `Saved, but this has no effect on ${joinWords(tiers)} while ${layerNamed(e)} turns ${them} ${on ? 'off' : 'on'}.`;
    }
    // Without a home there was nowhere to save it (setConsent had no file to write).
    return e.origin === NO_HOME ? 'Not saved: there is no home directory to keep it in.' : `Saved, but this has no effect while ${e.origin} turns telemetry off.`;
  });
  return lines.map((l) => `${l}\n`).join('');
}
