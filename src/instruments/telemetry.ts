import { existsSync, rmSync, writeSync } from 'node:fs';
import { collectDiag, diagLog, mirrorDiag } from '../diag.js';
import { ensureInstallation, freshInstallation, markNoticeShown, noticeShown, readInstallation, removeInstallation, resetInstallation, type Installation } from '../config/installation.js';
import { NO_HOME, persistentLayers, readLayers, type ConfigSources } from '../config/load.js';
import { carriesFreeText, keptOnByAdmin, noticeText, type NoticeOptions } from '../config/notice.js';
import { telemetryPaths, type PathOverrides, type TelemetryPaths } from '../config/paths.js';
import { deliverableTiers, offForGood, overrideOf, resolveConfig, type Deliverable, type ResolvedConfig } from '../config/resolve.js';
import type { Env } from '../config/env-layer.js';
import { FLUSH_VALUES, PROTOCOL_VALUES, type Flush, type Layer, type Protocol, type Settings } from '../config/settings.js';
import { parseChoice, parseConsent, parseStringRecord, parseUrl, validHeaders } from '../config/parse.js';
import { writeUserChoice, type ConsentSource } from '../config/user-choice.js';
import { createHasher } from '../privacy/hash.js';
import { kindOf } from '../privacy/rules.js';
import { resourceValueProblem } from '../privacy/resource-labels.js';
import { compileCatalog, encodeAttributes, type CompiledEvent, type WireAttributes } from '../privacy/validator.js';
import { createDebugRecorder } from '../recorder/debug-recorder.js';
import { createDeferredRecorder } from '../recorder/deferred-recorder.js';
import type { Recorder } from '../recorder/event-record.js';
import { createSpoolRecorder } from '../recorder/spool-recorder.js';
import { catalogError, TIERS, type Tier } from '../semconv/attributes.js';
import { checkedCatalog, type Catalog, type EventAttributes, type EventName, type TimedEventName } from '../semconv/catalog.js';
import { launchSender, shouldLaunchSender } from '../spool/launch.js';
import { withdrawTiers } from '../spool/withdraw.js';
import { LIFECYCLE } from '../semconv/lifecycle.js';
import { ATTR_ERROR_TYPE, ATTR_PROCESS_EXIT_CODE, ATTR_SERVICE_VERSION, ATTR_SUCCESS } from '../semconv/names.js';
import { errorClass } from './error-class.js';
import { createLifecycle, lifecycleFileOf } from './lifecycle.js';
import { measureCall, type RecordTimed } from './measure.js';
import { appendHistory } from '../history/append.js';
import { deleteHistory } from '../history/delete.js';
import { historyDirOf } from '../history/day-file.js';

/** What the app author decides; users and admins can override all of it (projects only downwards). */
export interface TelemetryDefaults {
  /** Anonymous aggregates; default on. */
  readonly metrics?: boolean;
  /** Individual events; default off (opt-in). */
  readonly events?: boolean;
  /**
   * Spans around handlers: opt-in only, so an app cannot turn them on by default. The user (`telemetry
   * on traces`), the environment or an admin policy can; `true` here is ignored with a diag line.
   */
  readonly traces?: false;
  /** Base OTLP/HTTP endpoint, e.g. `https://telemetry.example.com`. */
  readonly endpoint?: string;
  /** Delivery window for CLI processes; default `hourly`. */
  readonly flush?: Flush;
  readonly protocol?: Protocol;
  readonly headers?: Readonly<Record<string, string>>;
}

/** Options of `createTelemetry`; only `catalog` and `version` are required. */
export interface TelemetryOptions<C extends Catalog> {
  readonly catalog: C;
  /** The app's version (`service.version`). */
  readonly version: string;
  readonly defaults?: TelemetryDefaults;
  /** `cli` (default): spool at exit, deliver in the background. `daemon`: live OTel export. */
  readonly mode?: 'cli' | 'daemon';
  /** Environment to read (default `process.env`). */
  readonly env?: Env;
  /** Where the project layer is looked up from (default `process.cwd()`). */
  readonly cwd?: string;
  /** Project settings file, relative to the project root (default `.<app>/config.json`); false for none. */
  readonly projectFile?: string | false;
  /** Overrides of the XDG locations and of the admin policy file. */
  readonly paths?: PathOverrides;
  /** First-run notice text options, or false when the app shows its own (e.g. via `askConsent`). */
  readonly notice?: NoticeOptions | false;
  /** Spool size cap in bytes (default 4 MiB). */
  readonly spoolCapBytes?: number;
  /** Where notices and debug output go (default stderr; never stdout). */
  readonly stderr?: (text: string) => void;
  /**
   * Local history of recorded events for bug reports (on disk only, never sent; deleted when a tier
   * is withdrawn): retention, or false for none. Default `{ maxRecords: 5000, maxDays: 7 }`.
   */
  readonly history?: { readonly maxRecords?: number; readonly maxDays?: number } | false;
}

/** Options of one `track()` call. */
export interface TrackOptions {
  /** How long the occurrence took, in milliseconds (timed events only). */
  readonly durationMs?: number;
  /** How it ended: sets `success`, `error.type` and `process.exit.code` wherever the event declares them. */
  readonly outcome?: Outcome;
}

/** How an occurrence ended, for the `outcome()` attributes of its event. */
export interface Outcome {
  readonly success: boolean;
  /** The closed error class (see `errorClass`), when it failed. */
  readonly errorType?: string;
  readonly exitCode?: number;
}

/** A standard method decorator (TypeScript 5 / TC39) for class-method handlers. */
export type MethodDecorator = <This, A extends unknown[], R>(
  method: (this: This, ...args: A) => R,
  context: ClassMethodDecoratorContext<This, (this: This, ...args: A) => R>,
) => (this: This, ...args: A) => R;

/** The effective configuration, which layer set what, and where files live. */
export interface TelemetryStatus {
  readonly app: string;
  readonly config: ResolvedConfig;
  readonly layers: readonly Layer[];
  readonly paths: TelemetryPaths | undefined;
  readonly installationId: string | undefined;
  /**
   * Why the choice `setConsent` was given could not be saved (an errno code such as `EROFS`). It
   * then holds for this process only, and only where it turns tiers off.
   */
  readonly unsaved?: string;
  /** What reading the configuration warned about (a value that is not on/off, a file that is not JSON…). */
  readonly problems?: readonly string[];
}

/** The author's handle on telemetry. Every method is safe to call when telemetry is off. */
export interface Telemetry<C extends Catalog> {
  readonly app: C['app'];
  /** The app's version, as given to `createTelemetry`. */
  readonly version: string;
  readonly catalog: C;
  /** The effective configuration (re-resolved after `setConsent`). */
  readonly config: ResolvedConfig;
  /** Records one occurrence of a catalog event (never throws; bad input is dropped with a diag message). */
  track<N extends EventName<C>>(name: N, attributes?: EventAttributes<C, N>, options?: TrackOptions): void;
  /** Runs `fn` now, recording its duration, success and closed error class. */
  measure<N extends TimedEventName<C>, R>(name: N, attributes: EventAttributes<C, N>, fn: () => R): R;
  /** Wraps a function so that every call is measured. */
  wrap<N extends TimedEventName<C>, A extends unknown[], R>(
    name: N,
    attributes: EventAttributes<C, N> | ((...args: A) => EventAttributes<C, N>),
    fn: (...args: A) => R,
  ): (...args: A) => R;
  /** A method decorator that measures every call of a command handler. */
  handler<N extends TimedEventName<C>>(name: N, attributes?: EventAttributes<C, N>): MethodDecorator;
  /** Persists (CLI) or exports (daemon) what is buffered. */
  flush(): Promise<void>;
  /** Flushes and stops; bounded in time. A second call returns the first promise. */
  shutdown(): Promise<void>;
  /** The effective configuration, re-read now, with the layer behind each value. */
  status(): TelemetryStatus;
  /**
   * Stores the user's choice: `true` turns on metrics and events (traces stay opt-in and must be
   * named), `false` turns everything off and deletes the spool, an object sets the tiers it names.
   */
  setConsent(choice: boolean | Partial<Record<Tier, boolean>>, source?: ConsentSource): TelemetryStatus;
  /** Replaces the installation id and salt. */
  resetId(): string | undefined;
  /** Notes that a command ran, for the built-in adoption event (a no-op unless the catalog has `lifecycleEvents`). */
  commandUsed(command: string): void;
}

const defaultStderr = (text: string) => {
  try {
    writeSync(2, text);
  } catch {
    // stderr closed: nothing to tell
  }
};

/**
 * The app's defaults as settings, checked like every other layer (a plain-JavaScript host can pass
 * anything): what is not valid warns, is shown by `telemetry status`, and is left out.
 */
function defaultsToSettings(given: TelemetryDefaults | undefined): Settings {
  const where = 'createTelemetry: defaults';
  const d = (typeof given === 'object' && given !== null ? given : {}) as Record<keyof TelemetryDefaults, unknown>;
  if (d.traces === true) diagLog('warn', `${where}.traces is ignored: the traces tier is opt-in only (the user, the environment or an admin turns it on)`);
  const s: Settings = { metrics: parseConsent(d.metrics, `${where}.metrics`) ?? true, events: parseConsent(d.events, `${where}.events`) ?? false, traces: false };
  const endpoint = parseUrl(d.endpoint, `${where}.endpoint`);
  const flush = parseChoice(d.flush, FLUSH_VALUES, `${where}.flush`);
  const protocol = parseChoice(d.protocol, PROTOCOL_VALUES, `${where}.protocol`);
  const headers = validHeaders(parseStringRecord(d.headers, `${where}.headers`), `${where}.headers`);
  if (endpoint) s.endpoint = endpoint;
  if (flush) s.flush = flush;
  if (protocol) s.protocol = protocol;
  if (headers) s.headers = headers;
  return s;
}

/** The app's version as given, or '' (with a diag line) for a non-string; one that is no version is not sent (see `buildResource`). */
function versionOf(version: unknown): string {
  if (typeof version !== 'string') {
    diagLog('warn', `createTelemetry: version is ${kindOf(version)}, not a string; no version is sent`);
    return '';
  }
  if (resourceValueProblem(ATTR_SERVICE_VERSION, version) !== undefined) diagLog('warn', 'createTelemetry: version is not a version (like 1.4.2); it is not sent');
  return version;
}

/** Longest duration taken: no command runs a year, and a larger number would not stay finite through rounding and sums. */
const MAX_DURATION_MS = 366 * 24 * 3600 * 1000;

/** `process.cwd()`, or undefined when the directory was deleted under the process (it throws then). */
function workingDirectory(): string | undefined {
  try {
    return process.cwd();
  } catch {
    return undefined;
  }
}

/**
 * The installation kept in `stateDir`, created on first use; when it can be neither read nor made
 * (a read-only home: a container, systemd's ProtectHome) one for this process only, with a diag line.
 */
function keptInstallation(stateDir: string): Installation {
  try {
    return ensureInstallation(stateDir);
  } catch (error) {
    diagLog('warn', `could not keep an installation id (${errorClass(error)}); this process uses one of its own`);
    return freshInstallation();
  }
}

/** An option as given, or its default (with a diag line) when a JavaScript caller passed the wrong type. */
function optionOr<T>(value: unknown, type: 'string' | 'object', name: string, fallback: () => T): T {
  if (typeof value === type && value !== null) return value as T;
  if (value !== undefined) diagLog('warn', `createTelemetry: ${name} is not ${type === 'object' ? 'an object' : 'a string'}; the default is used`);
  return fallback();
}

/**
 * Creates the telemetry client. Reads configuration once (a few small files), loads no OTel SDK in
 * `cli` mode, and never throws for configuration problems: anything wrong means "off" plus a diag line.
 * The catalog is checked as `defineCatalog` checks it (one made as a plain object too), and a broken
 * one throws here, as it would there: the author's bug, found on the first run.
 */
export function createTelemetry<const C extends Catalog>(options: TelemetryOptions<C>): Telemetry<C> {
  if (typeof options?.catalog !== 'object' || options.catalog === null) catalogError('createTelemetry needs { catalog: defineCatalog({ app, events }), version }');
  const catalog = checkedCatalog(options.catalog);
  const version = versionOf(options.version);
  const app = catalog.app;
  const stderr = options.stderr ?? defaultStderr;
  const paths = telemetryPaths(app, options.paths);
  // Checked once; what was wrong is shown with every `telemetry status`, as a bad variable is.
  const { result: defaults, lines: defaultsProblems } = collectDiag(() => defaultsToSettings(options.defaults));
  const sources: ConfigSources = {
    app,
    env: optionOr(options.env, 'object', 'env', () => process.env),
    cwd: optionOr(options.cwd, 'string', 'cwd', workingDirectory),
    paths,
    projectFile: options.projectFile ?? `.${app}/config.json`,
    defaults,
  };
  const { result: initial, lines: configProblems } = collectDiag(() => readLayers(sources));
  let config = resolveConfig(initial.layers, initial.killedBy);
  const index = compileCatalog(catalog);
  if (config.debug) {
    const sink = (line: string) => stderr(`[${app} telemetry] ${line}\n`);
    mirrorDiag(sink);
    for (const line of configProblems) sink(line);
  }

  // Read (or created) once per process: the hasher, the spool writer and the daemon all need it.
  let found: Installation | undefined;
  let hasher: ((value: string) => string) | undefined;
  // Debug mode sends nothing and writes nothing: an installation not yet made is made in memory only.
  const installation = () => (found ??= config.debug ? (readInstallation(paths!.stateDir) ?? freshInstallation()) : keptInstallation(paths!.stateDir));
  const hash = (value: string) => (hasher ??= createHasher(installation().salt))(value);
  const describe = (name: string) => index.event(name)?.definition.description;
  const showNotice = () => {
    try {
      if (options.notice === false || !paths || noticeShown(paths.stateDir)) return;
      stderr(`${noticeText(app, config.tiers, options.notice, carriesFreeText(catalog, config.tiers), keptOnByAdmin(config))}\n`);
      markNoticeShown(paths.stateDir);
    } catch (error) {
      // A read-only home (a container, systemd's ProtectHome): the notice shows again next run.
      diagLog('warn', `could not remember that the notice was shown (${errorClass(error)})`);
    }
  };

  const historyDir = paths && options.history !== false ? historyDirOf(paths.stateDir) : undefined;
  const forget = () => {
    // Usually there is nothing to delete: one stat, and an app that never recorded pays no more.
    if (!paths || !existsSync(paths.stateDir)) return;
    const { spoolDir, stateDir } = paths;
    found = undefined;
    hasher = undefined;
    // Which commands were used, and when (the lifecycle file): usage too, so it goes with the rest,
    // and with it the identity whose first run it reported (a later "on" is a new installation).
    const stores = [
      ['spool', () => rmSync(spoolDir, { recursive: true, force: true })],
      ['lifecycle state', () => rmSync(lifecycleFileOf(stateDir), { force: true })],
      ['installation id', () => removeInstallation(stateDir)],
    ] as const;
    for (const [what, remove] of stores) {
      try {
        remove();
      } catch (error) {
        // Another user's files (a run under sudo), or a run spooling into it this instant: never the
        // host's problem. The next run that is off tries again.
        diagLog('warn', `could not delete the ${what} (${errorClass(error)}); the next run tries again`);
      }
    }
    deleteHistory(historyDirOf(paths.stateDir));
  };

  // Withdrawals setConsent could not save: they hold for the rest of this process, ranked where the
  // user's file would be, and accumulate (a second unsaved choice must not undo the first).
  let unsaved: { settings: Partial<Record<Tier, false>>; origin: string } | undefined;
  /** `layers` (highest first) with the unsaved withdrawals ranked where the user's file is. */
  const withUnsaved = (layers: Layer[]): Layer[] => {
    if (!unsaved) return layers;
    const at = layers.findIndex((l) => l.name !== 'admin' && l.name !== 'env');
    layers.splice(at === -1 ? layers.length : at, 0, { name: 'user', ...unsaved });
    return layers;
  };
  /** The configuration layers as they are now: files re-read, unsaved withdrawals applied. */
  const currentLayers = () => {
    const { layers, killedBy } = readLayers(sources);
    return { layers: killedBy ? layers : withUnsaved(layers), killedBy };
  };
  /** The tiers spooled records may still go out in, read now (consent may change while this process runs). */
  const stillDeliverable = (): Deliverable => {
    // Only the admin's and the user's files can withdraw consent while this process runs (its
    // environment cannot change): two small reads on the exit path, not the whole configuration.
    if (!sources.paths) return deliverableTiers([], NO_HOME);
    const layers = persistentLayers(sources.paths).filter((l): l is Layer => l !== undefined);
    return deliverableTiers(withUnsaved(layers), undefined);
  };
  // What this process records against the stored settings (its environment turned it back on) is no
  // withdrawal at exit, nor for the sender, which reads it from the spool header.
  const overridden = overrideOf(initial.layers, config.tiers);
  const stillConsented = () => stillDeliverable()(overridden);

  /** A recorder for the consent in force now; none when off (and then what earlier runs kept goes too). */
  const startRecorder = (): Recorder | undefined => {
    if (!config.enabled || !paths) {
      // Off is off: whatever earlier runs buffered or kept is deleted too, unless only this run is off.
      if (offForGood(config)) forget();
      return undefined;
    }
    if (config.debug) return createDebugRecorder(app, stderr);
    if (options.mode === 'daemon') {
      showNotice();
      const id = installation().id;
      // The live recorder's exporters are made for the tiers on now; a change of tiers makes a new one.
      const deferred: Recorder = createDeferredRecorder(
        Promise.all([import('../export/live-recorder.js'), import('../export/spool-pump.js')]).then(async ([{ createLiveRecorder }, { startSpoolPump }]) => {
          const live = await createLiveRecorder({
            config,
            describe,
            stderr,
            identity: { serviceName: config.export.serviceName ?? app, version, installationId: id, extra: config.export.resourceAttributes },
          });
          // Deliver what short-lived runs of the same app spooled, from this already-loaded SDK.
          const stopPump = startSpoolPump({
            spoolDir: paths.spoolDir,
            config,
            tiers: stillDeliverable,
            fallback: { app, version, installationId: id },
            stderr,
            capBytes: options.spoolCapBytes,
          });
          return { ...live, shutdown: () => (stopPump(), live.shutdown()), discard: (tiers) => (stopPump(), live.discard(tiers)) };
        }),
        // Once loaded, records go straight to the live recorder, without the buffering hop.
        (live) => {
          if (recorder === deferred) recorder = live;
        },
      );
      return deferred;
    }
    const consoleOut = Object.values(config.export.exporters).includes('console');
    return createSpoolRecorder({
      app,
      version,
      spoolDir: paths.spoolDir,
      capBytes: options.spoolCapBytes,
      flush: config.flush,
      installationId: () => installation().id,
      describe,
      onWrite: historyDir ? (records) => appendHistory(historyDir, records, options.history || {}) : undefined,
      stillConsented,
      overridden,
      afterWrite: (written) => {
        showNotice();
        if (shouldLaunchSender(paths.spoolDir, config.flush, Date.now(), written.files)) launchSender({ app, version, paths, defaults, spoolCapBytes: options.spoolCapBytes }, consoleOut);
      },
    });
  };
  let recorder = startRecorder();

  // Per event name, resolved once: the compiled event and the tiers it travels in under the current
  // consent (spans only for timed occurrences). One map lookup per `track()`.
  interface Plan {
    readonly event: CompiledEvent;
    readonly timed: readonly Tier[];
    readonly untimed: readonly Tier[];
  }
  const plans = new Map<string, Plan>();
  const planOf = (name: string): Plan | null => {
    let plan = plans.get(name);
    if (plan === undefined) {
      // Unknown names are not remembered: a host passing arbitrary strings must not grow this map.
      const event = index.event(name);
      if (!event) return null;
      const on = TIERS.filter((x) => config.tiers[x] && event.tiers.has(x));
      plan = { event, timed: on, untimed: on.filter((x) => x !== 'traces') };
      plans.set(name, plan);
    }
    return plan;
  };
  const drop = (reason: string) => diagLog('warn', `dropped ${reason}`);

  const record = (name: string, attributes: unknown, options: TrackOptions | undefined) => {
    if (recorder === undefined) return;
    // Checked here first: this runs on every track().
    if (lifecyclePending) startLifecycle();
    try {
      // A JS caller can pass anything: a symbol would throw in every message below.
      if (typeof name !== 'string') return drop(`an event whose name is ${kindOf(name)}, not a string`);
      const plan = planOf(name);
      if (plan === null) return drop(`event "${name}": not in the catalog`);
      const { event } = plan;
      const outcome = options?.outcome;
      const durationMs = options?.durationMs;
      if (outcome != null) attributes = withOutcome(event, attributes, outcome);
      let duration: number | undefined;
      if (durationMs !== undefined) {
        if (!event.duration) drop(`duration of "${name}": the event is not timed`);
        else if (typeof durationMs !== 'number' || !(durationMs >= 0) || !Number.isFinite(durationMs)) drop(`duration of "${name}": not a finite non-negative number`);
        else if (durationMs > MAX_DURATION_MS) drop(`duration of "${name}": longer than a year`);
        else duration = durationMs / 1000;
      } else if (event.duration) {
        diagLog('warn', `"${name}" is timed but was tracked without durationMs: counted, with no duration or span`);
      }
      const tiers = duration === undefined ? plan.untimed : plan.timed;
      if (tiers.length === 0) return;
      const extra: WireAttributes | undefined = event.hasRichAttributes && (tiers.length > 1 || tiers[0] !== 'metrics') ? {} : undefined;
      const metrics = encodeAttributes(event, attributes as Record<string, unknown> | undefined, hash, extra, drop);
      let hasExtra = false;
      if (extra !== undefined) for (const _ in extra) { hasExtra = true; break; }
      // One literal with every field: records share one hidden class on the hot path.
      recorder.record({
        name,
        time: Date.now(),
        duration: duration === undefined ? undefined : Math.round(duration * 1e6) / 1e6,
        attrs: metrics,
        extra: hasExtra ? extra : undefined,
        tiers,
      });
    } catch (error) {
      diagLog('error', `track(${typeof name === 'string' ? `"${name}"` : typeof name}) failed: ${errorClass(error)}`);
    }
  };

  const recordTimed: RecordTimed = (name, attributes, durationMs, outcome) => record(name, attributes, { durationMs, outcome });

  const status = (): TelemetryStatus => {
    // What reading the configuration warned about is shown with it (not only in debug mode).
    const { result: { layers, killedBy }, lines } = collectDiag(currentLayers);
    const problems = [...defaultsProblems, ...lines];
    const current = resolveConfig(layers, killedBy);
    return {
      app, config: current, layers, paths, installationId: paths ? readInstallation(paths.stateDir)?.id : undefined,
      ...(problems.length > 0 ? { problems } : {}),
    };
  };

  // Built-in lifecycle events are on when the author spread `lifecycleEvents()` into the catalog.
  const trackLifecycle = (suffix: string, attributes?: Record<string, unknown>) => record(`${app}.${suffix}`, attributes, undefined);
  // In debug mode too, so it shows every record a normal run would send (its state is not written).
  const lifecycle = index.event(`${app}.${LIFECYCLE.firstRun}`) && recorder && paths
    ? createLifecycle(paths.stateDir, version, trackLifecycle, Date.now, !config.debug)
    : undefined;
  const lifecycleStep = (step: () => void) => {
    try {
      step();
    } catch (error) {
      diagLog('warn', `lifecycle state: ${(error as Error).message}`);
    }
  };
  // Started by the first record, not here: a run that records nothing (`todo telemetry status`) is
  // not a first run, an active day or anything else to report, and leaves no state behind.
  let lifecyclePending = lifecycle !== undefined;
  const startLifecycle = () => {
    if (!lifecyclePending) return;
    lifecyclePending = false;
    lifecycleStep(() => lifecycle?.start());
  };

  // Consent withdrawn while running (e.g. `todo telemetry off`): stop at once, keep nothing.
  // `withdrawn`: the tiers the user just turned off, which go from disk even where they were off
  // already (records an overriding environment spooled) or the environment keeps them on here.
  const applyConsent = (next: TelemetryStatus, withdrawn: readonly Tier[] = []) => {
    const before = config.tiers;
    config = next.config;
    plans.clear();
    if (!config.enabled) {
      recorder?.discard();
      recorder = undefined;
      // The user's "on" inside a repository that keeps telemetry off deletes nothing kept elsewhere.
      if (withdrawn.length > 0 || offForGood(config)) {
        forget();
        // What was just deleted is not shown as kept.
        return { ...next, installationId: undefined };
      }
      return next;
    }
    const cut = TIERS.filter((t) => (before[t] && !config.tiers[t]) || withdrawn.includes(t));
    if (paths && cut.length > 0) {
      // The history holds that tier's attributes: withdrawing any tier forgets it. The spool keeps
      // only the tiers still on (what this process buffered is cut when it is written).
      deleteHistory(historyDirOf(paths.stateDir));
      const { tiers } = config;
      withdrawTiers(paths.spoolDir, (t) => tiers[t] && !withdrawn.includes(t));
    }
    // Turned on while running (a first-run consent prompt), or a daemon's tiers changed: its live
    // exporters exist per tier, so a new recorder takes over and the old one drops what it holds of
    // the withdrawn tiers (never sent after the user said no) and delivers the rest.
    const added = TIERS.some((t) => !before[t] && config.tiers[t]);
    if (recorder === undefined || (options.mode === 'daemon' && !config.debug && (added || cut.length > 0))) {
      const old = recorder;
      recorder = startRecorder();
      old?.discard(cut);
    }
    return next;
  };

  const telemetry: Telemetry<C> = {
    app,
    version,
    catalog,
    get config() {
      return config;
    },
    track: (name, attributes, opts) => record(name, attributes, opts),
    measure: (name, attributes, fn) => measureCall(recordTimed, name, attributes, fn),
    wrap: (name, attributes, fn) =>
      function (this: unknown, ...args) {
        let attrs: unknown;
        try {
          attrs = typeof attributes === 'function' ? attributes(...args) : attributes;
        } catch (error) {
          // The host's function runs whatever its attributes callback does.
          diagLog('warn', `wrap("${name}"): the attributes function threw ${errorClass(error)}; recorded without attributes`);
        }
        return measureCall(recordTimed, name, attrs, () => fn.apply(this, args));
      },
    handler: (name, attributes) => (method) =>
      function (this, ...args) {
        return measureCall(recordTimed, name, attributes, () => method.apply(this, args));
      },
    flush: () => recorder?.flush() ?? Promise.resolve(),
    shutdown: () => recorder?.shutdown() ?? Promise.resolve(),
    status,
    setConsent(choice, source = 'command') {
      if (!paths) return status();
      const tiers = consentTiers(choice);
      if (tiers === undefined) {
        diagLog('warn', 'setConsent: expected true, false or tiers mapped to booleans; nothing changed');
        return status();
      }
      try {
        writeUserChoice(paths.userConfigFile, tiers, source);
      } catch (error) {
        // Withdrawing consent must work even where it cannot be remembered: this process stops now.
        const code = errorClass(error); // the errno code (EROFS) when there is one
        diagLog('warn', `cannot save the telemetry choice to ${paths.userConfigFile}: ${code}`);
        const off = Object.fromEntries(TIERS.filter((t) => tiers[t] === false).map((t) => [t, false]));
        unsaved = { settings: { ...unsaved?.settings, ...off }, origin: `${paths.userConfigFile} (not saved: ${code})` };
        // The sender runs in another process and reads the unchanged file: what is spooled must go now.
        if (Object.keys(off).length > 0) forget();
        return { ...applyConsent(status()), unsaved: code };
      }
      return applyConsent(status(), TIERS.filter((t) => tiers[t] === false));
    },
    commandUsed(command) {
      if (!lifecycle || !recorder) return;
      // Before the adoption record, whose own state write must come after the start's.
      startLifecycle();
      lifecycleStep(() => lifecycle.commandUsed(command));
    },
    resetId() {
      if (!paths) return undefined;
      hasher = undefined;
      found = undefined;
      try {
        // Off is off: the old id is forgotten, and no new identifier is written while telemetry is off.
        if (!config.enabled) return void removeInstallation(paths.stateDir);
        found = resetInstallation(paths.stateDir);
        return found.id;
      } catch (error) {
        diagLog('warn', `cannot reset the installation id in ${paths.stateDir}: ${errorClass(error)}`);
        return undefined;
      }
    },
  };
  return telemetry;
}

/** The attributes with the outcome's, each only where the event declares it (see `outcome()` in the catalog). */
function withOutcome(event: CompiledEvent, attributes: unknown, outcome: Outcome): Record<string, unknown> {
  const out: Record<string, unknown> = typeof attributes === 'object' && attributes !== null ? { ...attributes } : {};
  if (event.rules.has(ATTR_SUCCESS)) out[ATTR_SUCCESS] = outcome.success;
  if (outcome.errorType !== undefined && event.rules.has(ATTR_ERROR_TYPE)) out[ATTR_ERROR_TYPE] = outcome.errorType;
  if (outcome.exitCode !== undefined && event.rules.has(ATTR_PROCESS_EXIT_CODE)) out[ATTR_PROCESS_EXIT_CODE] = outcome.exitCode;
  return out;
}

/** The tiers a `setConsent` choice sets, or undefined when it is not one (a JS caller passed `'yes'`). */
export function consentTiers(choice: unknown): Partial<Record<Tier, boolean>> | undefined {
  if (choice === true) return { metrics: true, events: true };
  if (choice === false) return { metrics: false, events: false, traces: false };
  if (typeof choice !== 'object' || choice === null || Array.isArray(choice)) return undefined;
  const out: Partial<Record<Tier, boolean>> = {};
  for (const [key, on] of Object.entries(choice)) {
    if (!(TIERS as readonly string[]).includes(key) || typeof on !== 'boolean') return undefined;
    out[key as Tier] = on;
  }
  return out;
}
