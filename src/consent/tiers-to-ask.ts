import type { TelemetryStatus } from '../instruments/telemetry.js';
import type { Tier } from '../semconv/attributes.js';

/** The tiers still open to the user's answer, or why there is nothing to ask. */
export type TiersToAsk = { readonly tiers: readonly Tier[] } | { readonly reason: 'disabled' | 'already-answered' };

/**
 * Decides what a consent question may still change. A kill switch or a missing home means off,
 * whatever the user says; a tier the admin policy sets is not the user's to choose; and once the
 * user's file holds any tier choice (from an earlier answer or from `<app> telemetry on|off`) the
 * user has decided, so they are never asked again. The file is the record rather than a marker in
 * the state directory because it is what the user's decision *is*: it survives a wiped state
 * directory, and a choice made with the command counts as an answer.
 */
export function tiersToAsk(status: TelemetryStatus, wanted: readonly Tier[]): TiersToAsk {
  if (status.config.killedBy !== undefined || !status.paths) return { reason: 'disabled' };
  const admin = status.layers.find((l) => l.name === 'admin')?.settings;
  const open = wanted.filter((t) => admin?.[t] === undefined);
  if (open.length === 0) return { reason: 'disabled' };
  const user = status.layers.find((l) => l.name === 'user')?.settings;
  if (user && (user.metrics !== undefined || user.events !== undefined || user.traces !== undefined)) {
    return { reason: 'already-answered' };
  }
  return { tiers: open };
}
