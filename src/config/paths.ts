import { lstatSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { xdgConfig, xdgState } from 'xdg-basedir';
import { diagLog } from '../diag.js';

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
  const configHome = given(overrides, 'configHome') ?? absoluteHome(xdgConfig, '.config');
  const stateHome = given(overrides, 'stateHome') ?? absoluteHome(xdgState, join('.local', 'state'));
  if (!configHome || !stateHome) return undefined;
  const stateDir = join(stateHome, app, 'telemetry');
  return {
    userConfigFile: join(configHome, app, 'telemetry.json'),
    stateDir,
    spoolDir: join(stateDir, 'spool'),
    policyFile: given(overrides, 'policyFile') ?? join('/etc', app, 'telemetry.json'),
  };
}

/** An override as given, or undefined (with a diag line) when a JavaScript caller passed something that is not a path. */
function given(overrides: PathOverrides | null, key: keyof PathOverrides): string | undefined {
  const value: unknown = overrides?.[key];
  if (value === undefined || typeof value === 'string') return value;
  diagLog('warn', `paths.${key} is not a path; the standard location is used`);
  return undefined;
}

/** The nearest `relative` file (e.g. `.todo/config.json`) in `cwd` or its ancestors. */
export function findProjectFile(cwd: string, relative: string): string | undefined {
  let dir = resolve(cwd);
  for (;;) {
    const candidate = join(dir, relative);
    if (isThere(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * Whether anything is, or may be, at `path`: a link to nothing too, unlike `existsSync`, and a path
 * that cannot be looked at (a `.todo` directory without permissions, a link loop). Reading it then
 * fails, and the project layer fails closed; only a path that certainly holds nothing is passed over.
 */
function isThere(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code !== 'ENOENT' && code !== 'ENOTDIR';
  }
}

/**
 * An XDG base directory only if absolute: the spec says a relative one is invalid and must be
 * ignored (else each working directory would get its own installation id and spool). Then the
 * default under the home directory, itself only if absolute; otherwise there is no home.
 */
function absoluteHome(xdg: string | undefined, underHome: string): string | undefined {
  if (xdg && isAbsolute(xdg)) return xdg;
  const home = homedir();
  return home && isAbsolute(home) ? join(home, underHome) : undefined;
}
