import { diagLog } from '../diag.js';
import { envLayer, killSwitch, type Env } from './env-layer.js';
import { failedClosed, fileLayer } from './file-layer.js';
import { findProjectFile, type TelemetryPaths } from './paths.js';
import { resolveConfig, type ResolvedConfig } from './resolve.js';
import type { Layer, Settings } from './settings.js';

/** Everything configuration is read from; injected so tests and embedders control it. */
export interface ConfigSources {
  readonly app: string;
  readonly env: Env;
  /** The working directory, or undefined when it was deleted under the process. */
  readonly cwd: string | undefined;
  readonly paths: TelemetryPaths | undefined;
  /** Project settings file relative to the project root (its `telemetry` object), or false for none. */
  readonly projectFile: string | false;
  /** The app author's defaults (the lowest layer). */
  readonly defaults: Settings;
}

/** What `killedBy` says when there is no home directory to keep settings and state in (then nothing records). */
export const NO_HOME = 'no home directory';

/** The layers as read right now, highest precedence first, plus the kill switch that fired. */
export function readLayers(sources: ConfigSources): { layers: Layer[]; killedBy: string | undefined } {
  const killedBy = killSwitch(sources.app, sources.env) ?? (sources.paths ? undefined : NO_HOME);
  const layers: Layer[] = [];
  // Off is off: with a kill switch set, not even the files are read.
  if (killedBy === undefined && sources.paths) {
    const [admin, user] = persistentLayers(sources.paths);
    if (admin) layers.push(admin);
    layers.push(envLayer(sources.app, sources.env));
    if (user) layers.push(user);
    const project = sources.projectFile ? projectLayer(sources.cwd, sources.projectFile) : undefined;
    if (project) layers.push(project);
  }
  layers.push({ name: 'default', settings: sources.defaults, origin: 'app defaults' });
  return { layers, killedBy };
}

/** The project's layer, if the working directory is in a project; none can be found in a deleted one, which fails closed. */
function projectLayer(cwd: string | undefined, relative: string): Layer | undefined {
  if (cwd === undefined) {
    diagLog('warn', 'the working directory was deleted, so a project file above it cannot be read; every tier off');
    return failedClosed('project', 'the working directory', 'deleted');
  }
  const path = findProjectFile(cwd, relative);
  return path ? fileLayer('project', path, (json) => json.telemetry, true) : undefined;
}

/**
 * The admin policy and the user's file, read now: the layers consent can be withdrawn in while a
 * process runs (`telemetry off` in another shell, a new policy), and all `deliverableTiers` weighs.
 * A typo must not leave telemetry on: a settings file that exists but cannot be used fails closed.
 */
export function persistentLayers(paths: TelemetryPaths): [admin: Layer | undefined, user: Layer | undefined] {
  return [fileLayer('admin', paths.policyFile, undefined, true), fileLayer('user', paths.userConfigFile, undefined, true)];
}

/** Reads every layer and resolves them. */
export function loadConfig(sources: ConfigSources): ResolvedConfig {
  const { layers, killedBy } = readLayers(sources);
  return resolveConfig(layers, killedBy);
}
