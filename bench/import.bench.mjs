// What a CLI pays at start-up: a process that only imports optel's entry, vs `node -e 0`, vs one
// that imports the OTel SDK set a hand-rolled CLI would load (api, sdk-metrics, sdk-logs, OTLP exporters).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { interleaved, ratio, table } from './lib.mjs';

const root = new URL('..', import.meta.url).pathname;
const dir = mkdtempSync(join(root, 'bench', '.tmp-'));
const script = (name, body) => {
  const path = join(dir, name);
  writeFileSync(path, body);
  return path;
};
const empty = script('empty.mjs', '\n');
const optel = script('optel.mjs', "import 'optel';\n");
const sdk = script('sdk.mjs', [
  "import '@opentelemetry/api';", "import '@opentelemetry/sdk-metrics';", "import '@opentelemetry/sdk-logs';",
  "import '@opentelemetry/exporter-metrics-otlp-proto';", "import '@opentelemetry/exporter-logs-otlp-proto';", '',
].join('\n'));
const env = { PATH: process.env.PATH };
const node = process.execPath;
const t = await interleaved([
  { name: 'node -e 0', cmd: node, args: ['-e', '0'], env },
  { name: 'empty ESM script', cmd: node, args: [empty], env, cwd: root },
  { name: 'import optel', cmd: node, args: [optel], env, cwd: root },
  { name: 'import OTel SDK + OTLP exporters', cmd: node, args: [sdk], env, cwd: root },
], 20);
rmSync(dir, { recursive: true, force: true });
// A CLI is an ESM script already, so its baseline is an empty one (which also loads the ESM loader).
const base = t['empty ESM script'];
table('import cost (wall ms, median of 20 interleaved runs)', [
  ['node -e 0', `${t['node -e 0'].toFixed(1)} ms`, ratio(t['node -e 0'], base)],
  ['empty ESM script', `${base.toFixed(1)} ms`, '1.00× (baseline)'],
  ['import optel (what a CLI loads)', `${t['import optel'].toFixed(1)} ms`, `${ratio(t['import optel'], base)}  +${(t['import optel'] - base).toFixed(1)} ms`],
  ['import OTel SDK + OTLP exporters', `${t['import OTel SDK + OTLP exporters'].toFixed(1)} ms`, `${ratio(t['import OTel SDK + OTLP exporters'], base)}  +${(t['import OTel SDK + OTLP exporters'] - base).toFixed(1)} ms`],
]);
