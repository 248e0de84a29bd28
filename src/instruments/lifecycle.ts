import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../config/atomic-file.js';
import { LIFECYCLE } from '../semconv/lifecycle.js';
import { dayOf } from '../history/day-file.js';
import { ifFileUnlocked } from '../fs/file-lock.js';
import { ensureDir } from '../fs/ensure-dir.js';

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
  const read = (): LifecycleState | undefined => {
    try {
      return JSON.parse(readFileSync(file, 'utf8')) as LifecycleState;
    } catch {
      return undefined;
    }
  };
  const load = () => {
    if (!loaded) {
      loaded = true;
      state = read();
    }
    return state;
  };
  /**
   * Decides against the state as it is now, under the file's lock, and saves what `decide` returns:
   * processes started together (a script, parallel builds) must not all see the old state and each
   * record the same first run, day or command. Only runs when the unlocked read said something is due.
   */
  const update = (decide: (current: LifecycleState | undefined) => LifecycleState | undefined) => {
    if (!persist) {
      state = decide(load()) ?? state;
      return;
    }
    // The lock lives beside the state: on a first run neither exists yet, and without the directory
    // the lock could not be taken (first runs started together are the race that matters most).
    ensureDir(stateDir);
    // Another process holding the lock is deciding the same things now: it records them, this one
    // does not wait (a command the other did not use is recorded by a later run).
    ifFileUnlocked(file, () => {
      state = read();
      loaded = true;
      const next = decide(state);
      if (next === undefined) return;
      state = next;
      writeFileAtomic(file, JSON.stringify(next));
    });
  };
  return {
    start() {
      const day = dayOf(now());
      const due = (s: LifecycleState | undefined) => !s || s.version !== version || s.day !== day;
      if (!due(load())) return;
      update((before) => {
        if (!due(before)) return undefined;
        // No version yet: no start() has decided (a process that skipped its own start while another
        // held the lock may have recorded only its command), so the first run is still to report.
        if (!before?.version) track(LIFECYCLE.firstRun);
        else if (before.version !== version) track(LIFECYCLE.upgraded, { 'version.from': before.version, 'version.to': version });
        if (before?.day !== day) track(LIFECYCLE.active);
        return { ...before, version, day };
      });
    },
    commandUsed(command) {
      if (load()?.commands?.includes(command)) return;
      update((current) => {
        const commands = current?.commands ?? [];
        if (commands.includes(command)) return undefined;
        track(LIFECYCLE.adopted, { 'cli.command': command });
        return { ...current, commands: [...commands, command] };
      });
    },
  };
}
