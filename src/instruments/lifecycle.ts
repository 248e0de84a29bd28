import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../config/atomic-file.js';
import { LIFECYCLE } from '../semconv/lifecycle.js';
import { dayOf } from '../history/day-file.js';

/** What an installation remembers to tell first runs, upgrades, daily activity and adoption apart. */
interface LifecycleState {
  version?: string;
  day?: string;
  commands?: string[];
}

const FILE = 'lifecycle.json';

/** Where the lifecycle checks keep their state (deleted with everything else when telemetry is turned off). */
export function lifecycleFileOf(stateDir: string): string {
  return join(stateDir, FILE);
}

/** Records one lifecycle event by suffix; implemented by the telemetry client. */
export type TrackLifecycle = (suffix: string, attributes?: Record<string, unknown>) => void;

/** The lifecycle checks of one process: one small read at start, a write only when something changed. */
export interface Lifecycle {
  /** Records first run, upgrade and daily activity as due. */
  start(): void;
  /** Records the first use of a command by this installation. */
  commandUsed(command: string): void;
}

/**
 * Lifecycle checks against `<stateDir>/lifecycle.json`. With `persist` false (debug mode, which
 * writes nothing) the records that are due are shown but the state is left as it is.
 */
export function createLifecycle(stateDir: string, version: string, track: TrackLifecycle, now = Date.now, persist = true): Lifecycle {
  const file = lifecycleFileOf(stateDir);
  let state: LifecycleState | undefined;
  let loaded = false;
  const load = () => {
    if (!loaded) {
      loaded = true;
      try {
        state = JSON.parse(readFileSync(file, 'utf8')) as LifecycleState;
      } catch {
        state = undefined;
      }
    }
    return state;
  };
  const save = (next: LifecycleState) => {
    state = next;
    if (persist) writeFileAtomic(file, JSON.stringify(next));
  };
  return {
    start() {
      const before = load();
      const day = dayOf(now());
      if (!before) track(LIFECYCLE.firstRun);
      else if (before.version && before.version !== version) track(LIFECYCLE.upgraded, { 'version.from': before.version, 'version.to': version });
      if (before?.day !== day) track(LIFECYCLE.active);
      if (!before || before.version !== version || before.day !== day) save({ ...before, version, day });
    },
    commandUsed(command) {
      const current = load() ?? {};
      const commands = current.commands ?? [];
      if (commands.includes(command)) return;
      track(LIFECYCLE.adopted, { 'cli.command': command });
      save({ ...current, commands: [...commands, command] });
    },
  };
}
