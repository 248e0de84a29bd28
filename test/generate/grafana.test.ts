import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderGrafanaDashboard, promName } from '../../src/generate/grafana.js';
import { ROOT } from '../support/run-example.js';
import { loadCatalog } from '../../src/cli/load-catalog.js';

const { catalog } = await loadCatalog(join(ROOT, 'examples', 'todo', 'catalog.mjs'));

describe('the generated Grafana dashboard', () => {
  it('is what examples/collector ships (regenerate with `optel dashboards`)', () => {
    const shipped = JSON.parse(readFileSync(join(ROOT, 'examples', 'collector', 'dashboards', 'todo.json'), 'utf8'));
    expect(shipped).toEqual(renderGrafanaDashboard(catalog));
  });

  it('has a panel for every metrics-tier event of the catalog', () => {
    const titles = (renderGrafanaDashboard(catalog).panels as Array<{ title: string }>).map((p) => p.title);
    for (const name of Object.keys(catalog.events)) expect(titles).toContain(`${name} per minute`);
  });

  it('maps OTel names to Prometheus names the way the Collector does', () => {
    expect(promName('todo.cli.invoked')).toBe('todo_cli_invoked');
    expect(promName('my-app.x.y')).toBe('my_app_x_y');
  });
});
