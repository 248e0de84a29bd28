/**
 * What is wrong with the `telemetry` an instrumentation helper was given (a host's wiring mistake
 * from plain JavaScript), or undefined. Checked before anything looks at consent, so a mistake
 * shows the same way to a developer running with `DO_NOT_TRACK=1` as to a user who opted in.
 */
export function telemetryProblem(telemetry: unknown): string | undefined {
  const t = telemetry as { track?: unknown; config?: unknown; catalog?: { events?: unknown } } | null;
  if (typeof t !== 'object' || t === null || typeof t.track !== 'function' || typeof t.config !== 'object' || typeof t.catalog?.events !== 'object') {
    return 'the second argument must be what createTelemetry() returned';
  }
  return undefined;
}

/** What is wrong with the `{ event }` a helper was given for a `telemetry` that passed `telemetryProblem`, or undefined. */
export function eventProblem(telemetry: unknown, options: unknown): string | undefined {
  const events = (telemetry as { catalog: { events: Record<string, { duration?: unknown } | undefined> } }).catalog.events;
  const event = (options as { event?: unknown } | null)?.event;
  if (typeof event !== 'string') return 'the options need { event: "<a timed event of the catalog>" }';
  const definition = events[event];
  if (!Object.hasOwn(events, event) || definition === undefined) return `"${event}" is not an event of the catalog`;
  if (definition.duration !== true) return `"${event}" is not timed (duration: true), and each run is recorded with its duration`;
  return undefined;
}

/** `telemetryProblem`, then `eventProblem`: everything a helper that needs both checks. */
export function wiringProblem(telemetry: unknown, options: unknown): string | undefined {
  return telemetryProblem(telemetry) ?? eventProblem(telemetry, options);
}
