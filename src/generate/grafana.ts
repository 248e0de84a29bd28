import { eventTiers, type Catalog } from '../semconv/catalog.js';
import { describeAttribute } from './describe-attribute.js';

/** How OTel names become Prometheus names (Collector prometheus exporter / Mimir OTLP ingestion). */
export function promName(otelName: string): string {
  return otelName.replace(/[^a-zA-Z0-9_]/g, '_');
}

interface Panel {
  [key: string]: unknown;
}

const DS = { type: 'prometheus', uid: '${datasource}' };
const LOGS = { type: 'loki', uid: '${logs}' };

/**
 * A Grafana dashboard for a catalog: per event a rate panel (broken down by its first closed-set
 * attribute), and for timed events p50/p95 from the histogram; plus a logs panel for the events tier.
 */
export function renderGrafanaDashboard(catalog: Catalog): Record<string, unknown> {
  const panels: Panel[] = [];
  let y = 0;
  let id = 1;
  const app = promName(catalog.app);
  for (const [name, event] of Object.entries(catalog.events)) {
    if (!eventTiers(event).includes('metrics')) continue;
    const metric = promName(name);
    const split = Object.entries(event.attributes ?? {}).find(([, def]) => def.tier === 'metrics' && describeAttribute(def).closedSet);
    const by = split ? ` by (${promName(split[0])})` : '';
    panels.push({
      id: id++,
      type: 'timeseries',
      title: `${name} per minute`,
      description: event.description,
      datasource: DS,
      gridPos: { x: 0, y, w: event.duration ? 12 : 24, h: 8 },
      fieldConfig: { defaults: { unit: 'short' }, overrides: [] },
      targets: [{ refId: 'A', datasource: DS, expr: `sum${by} (rate(${metric}_count_total{service_name="${catalog.app}"}[$__rate_interval])) * 60`, legendFormat: split ? `{{${promName(split[0])}}}` : name }],
    });
    if (event.duration) {
      const buckets = `${metric}_duration_seconds_bucket{service_name="${catalog.app}"}`;
      panels.push({
        id: id++,
        type: 'timeseries',
        title: `${name} duration p50 / p95`,
        datasource: DS,
        gridPos: { x: 12, y, w: 12, h: 8 },
        fieldConfig: { defaults: { unit: 's' }, overrides: [] },
        targets: [0.5, 0.95].map((q, i) => ({
          refId: String.fromCharCode(65 + i),
          datasource: DS,
          expr: `histogram_quantile(${q}, sum by (le) (rate(${buckets}[$__rate_interval])))`,
          legendFormat: `p${q * 100}`,
        })),
      });
    }
    y += 8;
  }
  panels.push({
    id: id++,
    type: 'logs',
    title: 'Events tier: recent records',
    datasource: LOGS,
    gridPos: { x: 0, y, w: 24, h: 10 },
    targets: [{ refId: 'A', datasource: LOGS, expr: `{service_name="${catalog.app}"}` }],
  });
  return {
    title: `${catalog.app} usage`,
    uid: `optel-${app}`.slice(0, 40),
    tags: ['optel', catalog.app],
    timezone: 'browser',
    schemaVersion: 39,
    time: { from: 'now-7d', to: 'now' },
    templating: {
      list: [
        { name: 'datasource', type: 'datasource', query: 'prometheus', label: 'Metrics' },
        { name: 'logs', type: 'datasource', query: 'loki', label: 'Logs' },
      ],
    },
    panels,
  };
}
