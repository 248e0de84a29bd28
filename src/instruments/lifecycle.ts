import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../config/atomic-file.js';
import { LIFECYCLE } from '../semconv/lifecycle.js';

/** What an installation remembers to tell first runs, upgrades, daily activity and adoption apart. */
interface LifecycleState {
  version?: string;
  day?: string;
  commands?: string[];
}

const FILE = 'lifecycle.json';

function read(stateDir: string): LifecycleState | undefined {
  try {
    return JSON.parse(readFileSync(join(stateDir, FILE), 'utf8')) as LifecycleState;
  } catch {
    return undefined;
  }
}

/** Records one lifecycle event by suffix; implemented by the telemetry client. */
export type TrackLifecycle = (suffix: string, attributes?: Record<string, unknown>) => void;

/**
 * Compares this run with the installation's remembered state and records first run, upgrade and
 * daily activity; writes the state back only when something changed (one small read per run).
 */
export function checkLifecycle(stateDir: string, version: string, track: TrackLifecycle, now = Date.now()): void {
  const state = read(stateDir);
  const day = new Date(now).toISOString().slice(0, 10);
  const next: LifecycleState = { ...state, version, day };
  if (!state) track(LIFECYCLE.firstRun);
  else if (state.version && state.version !== version) track(LIFECYCLE.upgraded, { 'version.from': state.version, 'version.to': version });
  if (state?.day !== day) track(LIFECYCLE.active);
  if (!state || state.version !== version || state.day !== day) writeFileAtomic(join(stateDir, FILE), JSON.stringify(next));
}

/** Records the first use of a command by this installation. */
export function checkAdoption(stateDir: string, command: string, track: TrackLifecycle): void {
  const state = read(stateDir) ?? {};
  const commands = state.commands ?? [];
  if (commands.includes(command)) return;
  track(LIFECYCLE.adopted, { 'cli.command': command });
  writeFileAtomic(join(stateDir, FILE), JSON.stringify({ ...state, commands: [...commands, command] }));
}
