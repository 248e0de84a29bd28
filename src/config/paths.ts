import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { xdgConfig, xdgState } from 'xdg-basedir';

/** Where an app's telemetry files live. */
export interface TelemetryPaths {
  /** The user's choice, written by `<app> telemetry on|off` (`$XDG_CONFIG_HOME/<app>/telemetry.json`). */
  readonly userConfigFile: string;
  /** Installation id, salt, notice marker, spool (`$XDG_STATE_HOME/<app>/telemetry/`). */
  readonly stateDir: string;
  /** Pending events awaiting delivery. */
  readonly spoolDir: string;
  /** The admin policy (`/etc/<app>/telemetry.json` unless overridden). */
  readonly policyFile: string;
}

/** Overrides of the standard locations (tests, embedders, portable installs). */
export interface PathOverrides {
  readonly configHome?: string;
  readonly stateHome?: string;
  readonly policyFile?: string;
}

/** The paths for `app`, or undefined when there is no home to keep state in (then nothing is recorded). */
export function telemetryPaths(app: string, overrides: PathOverrides = {}): TelemetryPaths | undefined {
  const configHome = overrides.configHome ?? xdgConfig;
  const stateHome = overrides.stateHome ?? xdgState;
  if (!configHome || !stateHome) return undefined;
  const stateDir = join(stateHome, app, 'telemetry');
  return {
    userConfigFile: join(configHome, app, 'telemetry.json'),
    stateDir,
    spoolDir: join(stateDir, 'spool'),
    policyFile: overrides.policyFile ?? join('/etc', app, 'telemetry.json'),
  };
}

/** The nearest `relative` file (e.g. `.todo/config.json`) in `cwd` or its ancestors. */
export function findProjectFile(cwd: string, relative: string): string | undefined {
  let dir = resolve(cwd);
  for (;;) {
    const candidate = join(dir, relative);
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}
