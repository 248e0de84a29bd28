import type { AttributeRecord } from '../otlp/flatten.js';
import { ATTR_APP_INSTALLATION_ID, ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '../semconv/names.js';
import type { ResourceSnapshot } from './snapshot.js';

/** Apps (name + version) remembered at most. */
const MAX_APPS = 100;
/** Installation ids remembered at most; a dev session sees a handful, a replayed fleet file more. */
const MAX_INSTALLATIONS = 10_000;
/** Resource attributes kept per app for display. */
const MAX_ATTRIBUTES = 40;

interface App {
  service: string;
  version: string;
  installations: Set<string>;
  lastAt: number;
  attributes: AttributeRecord;
}

/**
 * Who is sending: each app and version seen, the distinct installation ids, and the latest
 * resource (runtime, OS) for display. The ids are random per installation, but still only
 * their count leaves this module.
 */
export class Resources {
  private readonly apps = new Map<string, App>();
  private readonly installations = new Set<string>();

  /** Notes one resource seen at `at`. */
  see(resource: AttributeRecord, at: number): void {
    const service = String(resource[ATTR_SERVICE_NAME] ?? 'unknown_service');
    const version = String(resource[ATTR_SERVICE_VERSION] ?? '');
    const key = `${service}\u0000${version}`;
    let app = this.apps.get(key);
    if (!app) {
      if (this.apps.size >= MAX_APPS) return;
      app = { service, version, installations: new Set(), lastAt: at, attributes: {} };
      this.apps.set(key, app);
    }
    app.lastAt = Math.max(app.lastAt, at);
    app.attributes = displayAttributes(resource);
    const id = resource[ATTR_APP_INSTALLATION_ID];
    if (id !== undefined && this.installations.size < MAX_INSTALLATIONS) {
      this.installations.add(String(id));
      app.installations.add(String(id));
    } else if (id !== undefined && this.installations.has(String(id))) {
      app.installations.add(String(id));
    }
  }

  /** Distinct installation ids across every app. */
  get installationCount(): number {
    return this.installations.size;
  }

  /** Every app, most recently seen first. */
  snapshot(): ResourceSnapshot[] {
    return [...this.apps.values()]
      .sort((a, b) => b.lastAt - a.lastAt)
      .map((a) => ({
        service: a.service,
        version: a.version,
        installations: a.installations.size,
        lastAt: a.lastAt,
        attributes: { ...a.attributes },
      }));
  }

  /** Forgets everything. */
  clear(): void {
    this.apps.clear();
    this.installations.clear();
  }
}

function displayAttributes(resource: AttributeRecord): AttributeRecord {
  const out: AttributeRecord = {};
  let n = 0;
  for (const [key, value] of Object.entries(resource)) {
    if (key === ATTR_APP_INSTALLATION_ID || key === ATTR_SERVICE_NAME || key === ATTR_SERVICE_VERSION) continue;
    if (n++ >= MAX_ATTRIBUTES) break;
    out[key] = typeof value === 'string' && value.length > 200 ? `${value.slice(0, 199)}…` : value;
  }
  return out;
}
