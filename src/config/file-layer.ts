import { readRegularFile } from '../fs/read-regular-file.js';
import { diagLog } from '../diag.js';
import { EXPORTER_VALUES, FLUSH_VALUES, MAX_TIMEOUT_MS, PROTOCOL_VALUES, type Layer, type LayerName, type Settings, type Signal } from './settings.js';
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

/**
 * Turns a settings object (the admin policy, the user's file, a project's `telemetry` object) into
 * settings; each malformed field warns and is skipped, so one typo never disables the whole file.
 */
export function parseSettings(value: unknown, where: string): Settings {
  const s: Settings = {};
  if (value === undefined) return s;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    diagLog('warn', `${where}: expected a JSON object; ignored`);
    return s;
  }
  const o = value as Record<string, unknown>;
  const put = <K extends keyof Settings>(key: K, v: Settings[K] | undefined) => {
    if (v !== undefined) s[key] = v;
  };
  const all = parseConsent(o.enabled, `${where}: enabled`);
  if (all === false) Object.assign(s, allOff());
  put('metrics', parseConsent(o.metrics, `${where}: metrics`));
  put('events', parseConsent(o.events, `${where}: events`));
  put('traces', parseConsent(o.traces, `${where}: traces`));
  put('flush', parseChoice(o.flush, FLUSH_VALUES, `${where}: flush`));
  put('debug', parseSwitch(o.debug, `${where}: debug`));
  put('endpoint', parseUrl(o.endpoint, `${where}: endpoint`));
  put('headers', validHeaders(parseStringRecord(o.headers, `${where}: headers`), `${where}: headers`));
  put('protocol', parseChoice(o.protocol, PROTOCOL_VALUES, `${where}: protocol`));
  put('timeoutMs', parsePositiveInt(o.timeoutMs, `${where}: timeoutMs`, MAX_TIMEOUT_MS));
  const exporters = parseStringRecord(o.exporters, `${where}: exporters`);
  if (exporters) {
    const out: Partial<Record<Signal, (typeof EXPORTER_VALUES)[number]>> = {};
    for (const signal of ['metrics', 'logs', 'traces'] as const) {
      const kind = parseChoice(exporters[signal], EXPORTER_VALUES, `${where}: exporters.${signal}`);
      if (kind) out[signal] = kind;
    }
    put('exporters', out);
  }
  return s;
}

const FAILED_CLOSED = 'every tier off until it is fixed';

/** Every tier off: a fresh object each time, since layers are built up field by field. */
const allOff = (): Settings => ({ metrics: false, events: false, traces: false });

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
  const unusable = problem ?? (json !== undefined && (typeof json !== 'object' || json === null || Array.isArray(json)) ? 'not a JSON object' : undefined);
  if (failClosed && unusable !== undefined) {
    return failedClosed(name, path, unusable);
  }
  if (json === undefined) return undefined;
  const picked = typeof json === 'object' && json !== null ? pick(json as Record<string, unknown>) : json;
  if (picked === undefined) return undefined;
  if (typeof picked !== 'object' || picked === null || Array.isArray(picked)) {
    // `"telemetry": false` (or "off") is the plainest way to say it: every tier off. Anything else
    // that is not an object is unclear, and the reading that collects less wins.
    const on = typeof picked === 'boolean' ? picked : typeof picked === 'string' ? switchValue(picked) : undefined;
    if (on === true) return { name, settings: {}, origin: path };
    if (on === false) return { name, settings: allOff(), origin: path, stamp: mtimeMs };
    const why = 'neither an object nor on/off';
    diagLog('warn', `${path}: the settings are ${why}; ${failClosed ? FAILED_CLOSED : 'ignored'}`);
    return failClosed ? failedClosed(name, path, why) : { name, settings: {}, origin: path };
  }
  return { name, settings: parseSettings(picked, path), origin: path, stamp: mtimeMs };
}
