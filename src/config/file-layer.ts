import { readRegularFile } from '../fs/read-regular-file.js';
import { TIERS } from '../semconv/attributes.js';
import { isRecord } from '../semconv/catalog.js';
import { diagLog } from '../diag.js';
import { EXPORTER_VALUES, FLUSH_VALUES, MAX_TIMEOUT_MS, PROTOCOL_VALUES, SIGNALS, type Layer, type LayerName, type Settings, type Signal } from './settings.js';
import { parseChoice, parseConsent, parsePositiveInt, parseStringRecord, parseSwitch, parseUrl, switchValue, validHeaders } from './parse.js';

/** Settings files are a few hundred bytes; a project's own config file may hold more, never this much. */
const MAX_FILE_BYTES = 1024 * 1024;

/**
 * Reads a JSON file: its value, nothing for a missing file, and for one that exists but cannot be
 * used (unreadable, malformed) a warning and why (`problem`). Only a regular file of at most 1 MiB is read: a project's files are untrusted (a
 * cloned repository can hold a symlink to /dev/stdin, /dev/zero or a FIFO), and reading one must
 * not hang the host, eat its stdin or fill its memory.
 */
export function readJsonFile(path: string): { readonly json?: unknown; readonly problem?: string } {
  const { json, problem } = readJson(path);
  return problem === undefined ? (json === undefined ? {} : { json }) : { problem };
}

/** A JSON file as read: its value, or (when it exists but cannot be used) why not. */
function readJson(path: string, consequence = 'ignored'): { json?: unknown; problem?: string; mtimeMs?: number } {
  const problem = (why: string) => {
    diagLog('warn', `${path} is ${why}; ${consequence}`);
    return { problem: why };
  };
  // Symlinks followed: settings files are often links into a dotfiles repository.
  const read = readRegularFile(path, { maxBytes: MAX_FILE_BYTES, followSymlinks: true });
  if ('missing' in read) return {};
  if ('problem' in read) return problem(read.problem);
  try {
    return { json: JSON.parse(read.text), mtimeMs: read.mtimeMs };
  } catch {
    return problem('not valid JSON');
  }
}

// Every key a settings file may hold: the settings `parseSettings` reads, and what the user-choice
// writer adds about the choice. Anything else is a typo or a setting this version does not have.
const SETTINGS_KEYS: ReadonlySet<string> = new Set(['enabled', 'metrics', 'events', 'traces', 'flush', 'debug', 'endpoint', 'headers', 'protocol', 'timeoutMs', 'exporters']);
const CHOICE_KEYS: ReadonlySet<string> = new Set(['source', 'updatedAt']);

/**
 * Turns a settings object (the admin policy, the user's file, a project's `telemetry` object) into
 * settings; each malformed field warns and is skipped, so one typo in a value never disables the
 * whole file. A key it does not know (`metric`, `Events`) is different: what was meant cannot be
 * told, so the object is not used and `problem` says why (the caller fails closed on it).
 */
export function parseSettings(value: unknown, where: string): { readonly settings: Settings; readonly problem?: string } {
  const s: Settings = {};
  if (value === undefined) return { settings: s };
  if (!isRecord(value)) {
    diagLog('warn', `${where}: expected a JSON object; ignored`);
    return { settings: s };
  }
  const unknown = unknownKeys(value);
  if (unknown.length > 0) return { settings: allOff(), problem: `${unknown.length === 1 ? 'unknown key' : 'unknown keys'} ${unknown.map((k) => JSON.stringify(k)).join(', ')}` };
  const put = <K extends keyof Settings>(key: K, v: Settings[K] | undefined) => {
    if (v !== undefined) s[key] = v;
  };
  // Within one file the reading that collects less wins: `enabled: false` holds over a tier's "on".
  const all = parseConsent(value.enabled, `${where}: enabled`);
  for (const tier of TIERS) {
    const on = parseConsent(value[tier], `${where}: ${tier}`);
    if (all === false && on === true) diagLog('warn', `${where}: ${tier} is on but enabled is off; taken as off`);
    put(tier, all === false ? false : on);
  }
  put('flush', parseChoice(value.flush, FLUSH_VALUES, `${where}: flush`));
  put('debug', parseSwitch(value.debug, `${where}: debug`));
  put('endpoint', parseUrl(value.endpoint, `${where}: endpoint`));
  put('headers', validHeaders(parseStringRecord(value.headers, `${where}: headers`), `${where}: headers`));
  put('protocol', parseChoice(value.protocol, PROTOCOL_VALUES, `${where}: protocol`));
  put('timeoutMs', parsePositiveInt(value.timeoutMs, `${where}: timeoutMs`, MAX_TIMEOUT_MS));
  const exporters = parseStringRecord(value.exporters, `${where}: exporters`);
  if (exporters) {
    const out: Partial<Record<Signal, (typeof EXPORTER_VALUES)[number]>> = {};
    for (const signal of SIGNALS) {
      const kind = parseChoice(exporters[signal], EXPORTER_VALUES, `${where}: exporters.${signal}`);
      if (kind) out[signal] = kind;
    }
    put('exporters', out);
  }
  return { settings: s };
}

/** The keys of a settings object optel does not know, `exporters.<signal>` ones as that path. */
export function unknownKeys(value: Record<string, unknown>): string[] {
  return [
    ...Object.keys(value).filter((key) => !SETTINGS_KEYS.has(key) && !CHOICE_KEYS.has(key)),
    ...(isRecord(value.exporters) ? Object.keys(value.exporters).filter((key) => !(SIGNALS as readonly string[]).includes(key)).map((key) => `exporters.${key}`) : []),
  ];
}


const FAILED_CLOSED = 'every tier off until it is fixed';

/** Every tier off: a fresh object each time, since layers are built up field by field. */
export const allOff = (): Settings => ({ metrics: false, events: false, traces: false });

/** The layer of a file that exists but cannot be used (or cannot be looked for), failing closed, its origin saying why. */
export const failedClosed = (name: LayerName, path: string, why: string): Layer => ({ name, settings: allOff(), origin: `${path} (${why}: ${FAILED_CLOSED})` });

/**
 * Reads one file layer. `pick` selects the settings object inside the file (a project's `telemetry`
 * key). With `failClosed`, a file that exists but cannot be used turns every tier off, and the origin
 * says why (`telemetry status` shows it); otherwise it is ignored.
 */
export function fileLayer(
  name: LayerName, path: string, pick: (json: Record<string, unknown>) => unknown = (j) => j, failClosed = false,
): Layer | undefined {
  const { json, problem, mtimeMs } = readJson(path, failClosed ? FAILED_CLOSED : 'ignored');
  const unusable = problem ?? (json !== undefined && !isRecord(json) ? 'not a JSON object' : undefined);
  if (failClosed && unusable !== undefined) {
    return failedClosed(name, path, unusable);
  }
  if (json === undefined) return undefined;
  const picked = isRecord(json) ? pick(json) : json;
  if (picked === undefined) return undefined;
  const consequence = failClosed ? FAILED_CLOSED : 'ignored';
  const unclear = (why: string): Layer => {
    diagLog('warn', `${path}: ${why}; ${consequence}`);
    return failClosed ? failedClosed(name, path, why) : { name, settings: {}, origin: path };
  };
  if (!isRecord(picked)) {
    // `"telemetry": false` (or "off") is the plainest way to say it: every tier off. Anything else
    // that is not an object is unclear, and the reading that collects less wins.
    const on = typeof picked === 'boolean' ? picked : typeof picked === 'string' ? switchValue(picked) : undefined;
    if (on === true) return { name, settings: {}, origin: path };
    if (on === false) return { name, settings: allOff(), origin: path, stamp: mtimeMs };
    return unclear('neither an object nor on/off');
  }
  const { settings, problem: why } = parseSettings(picked, path);
  return why === undefined ? { name, settings, origin: path, stamp: mtimeMs } : unclear(why);
}
