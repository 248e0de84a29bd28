import type { AttributeRecord } from '../otlp/flatten.js';
import { ATTR_APP_INSTALLATION_ID, ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '../semconv/names.js';
import type { ResourceSnapshot } from './snapshot.js';
import { clip, clipAttributes, MAX_NAME } from './clip.js';

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
    const service = clip(String(resource[ATTR_SERVICE_NAME] ?? 'unknown_service'), MAX_NAME);
    const version = clip(String(resource[ATTR_SERVICE_VERSION] ?? ''), MAX_NAME);
    const key = `${service}\u0000${version}`;
    let app = this.apps.get(key);
    if (!app) {
      if (this.apps.size >= MAX_APPS) return;
      app = { service, version, installations: new Set(), lastAt: at, attributes: {} };
      this.apps.set(key, app);
    }
    app.lastAt = Math.max(app.lastAt, at);
    app.attributes = displayAttributes(resource);
    const raw = resource[ATTR_APP_INSTALLATION_ID];
    // Only counted, so a long id is as good cut: ids are UUIDs, anything much longer is not one.
    const id = raw === undefined ? undefined : clip(String(raw), MAX_NAME);
    if (id !== undefined && this.installations.size < MAX_INSTALLATIONS) {
      this.installations.add(id);
      app.installations.add(id);
    } else if (id !== undefined && this.installations.has(id)) {
      app.installations.add(id);
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
  const { [ATTR_APP_INSTALLATION_ID]: _id, [ATTR_SERVICE_NAME]: _name, [ATTR_SERVICE_VERSION]: _version, ...rest } = resource;
  return clipAttributes(rest, MAX_ATTRIBUTES, 200);
}
