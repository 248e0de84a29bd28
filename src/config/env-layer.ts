import { diagLog } from '../diag.js';
import { envPrefix, EXPORTER_VALUES, FLUSH_VALUES, MAX_METRIC_INTERVAL_MS, MAX_TIMEOUT_MS, PROTOCOL_VALUES, SIGNALS, type Layer, type Settings } from './settings.js';
import { operatorResourceAttributes } from '../privacy/resource-labels.js';
import { parseChoice, parseConsent, parseKeyValueList, parsePositiveInt, parseSwitch, parseUrl, switchValue, validHeaders } from './parse.js';

/** Environment variables as a plain record (injected, so resolution is a pure function). */
export type Env = Readonly<Record<string, string | undefined>>;

/** The kill switch that fired, if any: these beat every other layer. */
export function killSwitch(app: string, env: Env): string | undefined {
  // Whoever sets DO_NOT_TRACK or OTEL_SDK_DISABLED means it: any value but a blank or an explicit
  // 0/false/off/no/disabled (the OTel spec reads only `true`; `OTEL_SDK_DISABLED=1` is meant as off too).
  for (const name of ['DO_NOT_TRACK', 'OTEL_SDK_DISABLED']) {
    const value = env[name]?.trim();
    if (value && switchValue(value) !== false) return name;
  }
  const own = `${envPrefix(app)}_TELEMETRY`;
  const value = env[own]?.trim();
  if (!value) return undefined;
  const on = switchValue(value);
  if (on === false) return own;
  if (on === undefined) {
    // "offf", "disable", "none": someone tried to say something, and off is the safe reading.
    diagLog('warn', `${own}="${value}" is not on/off; taken as off`);
    return own;
  }
  return undefined;
}


/** The environment layer: the app's own `<APP>_TELEMETRY_*` switches and the standard `OTEL_*` variables. */
export function envLayer(app: string, env: Env): Layer {
  const p = `${envPrefix(app)}_TELEMETRY`;
  const s: Settings = {};
  const used: string[] = [];
  const set = <K extends keyof Settings>(key: K, value: Settings[K] | undefined, variable: string) => {
    if (value === undefined) return;
    s[key] = value;
    used.push(variable);
  };
  set('metrics', parseConsent(env[`${p}_METRICS`], `${p}_METRICS`), `${p}_METRICS`);
  set('events', parseConsent(env[`${p}_EVENTS`], `${p}_EVENTS`), `${p}_EVENTS`);
  set('traces', parseConsent(env[`${p}_TRACES`], `${p}_TRACES`), `${p}_TRACES`);
  set('flush', parseChoice(env[`${p}_FLUSH`], FLUSH_VALUES, `${p}_FLUSH`), `${p}_FLUSH`);
  set('debug', parseSwitch(env[`${p}_DEBUG`], `${p}_DEBUG`), `${p}_DEBUG`);
  set('endpoint', parseUrl(env.OTEL_EXPORTER_OTLP_ENDPOINT, 'OTEL_EXPORTER_OTLP_ENDPOINT'), 'OTEL_EXPORTER_OTLP_ENDPOINT');
  set('headers', validHeaders(parseKeyValueList(env.OTEL_EXPORTER_OTLP_HEADERS, 'OTEL_EXPORTER_OTLP_HEADERS'), 'OTEL_EXPORTER_OTLP_HEADERS'), 'OTEL_EXPORTER_OTLP_HEADERS');
  set('protocol', parseChoice(env.OTEL_EXPORTER_OTLP_PROTOCOL, PROTOCOL_VALUES, 'OTEL_EXPORTER_OTLP_PROTOCOL'), 'OTEL_EXPORTER_OTLP_PROTOCOL');
  set('timeoutMs', parsePositiveInt(env.OTEL_EXPORTER_OTLP_TIMEOUT, 'OTEL_EXPORTER_OTLP_TIMEOUT', MAX_TIMEOUT_MS), 'OTEL_EXPORTER_OTLP_TIMEOUT');
  set('serviceName', env.OTEL_SERVICE_NAME?.trim() || undefined, 'OTEL_SERVICE_NAME');
  set('resourceAttributes', operatorResourceAttributes(parseKeyValueList(env.OTEL_RESOURCE_ATTRIBUTES, 'OTEL_RESOURCE_ATTRIBUTES'), 'OTEL_RESOURCE_ATTRIBUTES'), 'OTEL_RESOURCE_ATTRIBUTES');
  set('metricIntervalMs', parsePositiveInt(env.OTEL_METRIC_EXPORT_INTERVAL, 'OTEL_METRIC_EXPORT_INTERVAL', MAX_METRIC_INTERVAL_MS), 'OTEL_METRIC_EXPORT_INTERVAL');
  for (const signal of SIGNALS) {
    const upper = signal.toUpperCase();
    const endpointVar = `OTEL_EXPORTER_OTLP_${upper}_ENDPOINT`;
    const endpoint = parseUrl(env[endpointVar], endpointVar);
    if (endpoint !== undefined) set('signalEndpoints', { ...s.signalEndpoints, [signal]: endpoint }, endpointVar);
    const headersVar = `OTEL_EXPORTER_OTLP_${upper}_HEADERS`;
    const headers = validHeaders(parseKeyValueList(env[headersVar], headersVar), headersVar);
    if (headers !== undefined) set('signalHeaders', { ...s.signalHeaders, [signal]: headers }, headersVar);
    const exporterVar = `OTEL_${upper}_EXPORTER`;
    // The spec allows a comma list; optel sends each signal one way, so the first entry decides.
    const first = env[exporterVar]?.split(',')[0];
    const exporter = parseChoice(first, EXPORTER_VALUES, exporterVar);
    if (exporter !== undefined) set('exporters', { ...s.exporters, [signal]: exporter }, exporterVar);
  }
  return { name: 'env', settings: s, origin: used.join(', ') || undefined };
}

// The variables that can set each setting, for crediting it to only those of the layer's list.
const OWN_VARIABLE: Readonly<Record<string, RegExp>> = {
  metrics: /_TELEMETRY_METRICS$/,
  events: /_TELEMETRY_EVENTS$/,
  traces: /_TELEMETRY_TRACES$/,
  flush: /_TELEMETRY_FLUSH$/,
  debug: /_TELEMETRY_DEBUG$/,
  'endpoint.metrics': /^OTEL_EXPORTER_OTLP_(METRICS_)?ENDPOINT$/,
  'endpoint.logs': /^OTEL_EXPORTER_OTLP_(LOGS_)?ENDPOINT$/,
  'endpoint.traces': /^OTEL_EXPORTER_OTLP_(TRACES_)?ENDPOINT$/,
  'exporter.metrics': /^OTEL_METRICS_EXPORTER$/,
  'exporter.logs': /^OTEL_LOGS_EXPORTER$/,
  'exporter.traces': /^OTEL_TRACES_EXPORTER$/,
  headers: /^OTEL_EXPORTER_OTLP_HEADERS$/,
  protocol: /^OTEL_EXPORTER_OTLP_PROTOCOL$/,
  timeoutMs: /^OTEL_EXPORTER_OTLP_TIMEOUT$/,
  serviceName: /^OTEL_SERVICE_NAME$/,
  resourceAttributes: /^OTEL_RESOURCE_ATTRIBUTES$/,
  metricIntervalMs: /^OTEL_METRIC_EXPORT_INTERVAL$/,
};

/** Of the environment layer's variables (its origin, `A, B, C`), those that set `setting`; all of them when none is known to. */
export function envOrigin(setting: string, origin: string): string {
  const own = OWN_VARIABLE[setting];
  const names = own ? origin.split(', ').filter((name) => own.test(name)) : [];
  return names.length ? names.join(', ') : origin;
}
