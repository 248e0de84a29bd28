#!/usr/bin/env node
// A small long-running HTTP service instrumented with optel in daemon mode: live OTel export on
// unref'd timers, bounded shutdown on SIGTERM/SIGINT. Prints its address on stdout once listening.
import { lstatSync } from 'node:fs';
import { createServer } from 'node:http';
import { createTelemetry } from 'optel';
import { catalog } from './catalog.mjs';

const telemetry = createTelemetry({
  catalog,
  version: '0.3.0',
  mode: 'daemon',
  defaults: { metrics: true, events: true, endpoint: 'http://127.0.0.1:4318' },
  // A service has no `notesd telemetry` command to name: the notice gives the variables only.
  notice: { command: false },
  // Lets tests point the admin policy somewhere writable, only where no real policy exists: an
  // environment variable must never move an administrator's policy out of the way.
  paths: process.env.NOTESD_TELEMETRY_POLICY_FILE && !systemPolicyThere() ? { policyFile: process.env.NOTESD_TELEMETRY_POLICY_FILE } : {},
});

// Anything at the system path counts, a link to nothing or a file this user cannot read too (unlike
// existsSync): the library turns every tier off for those, and that must not be bypassed.
function systemPolicyThere() {
  try {
    lstatSync('/etc/notesd/telemetry.json');
    return true;
  } catch (error) {
    return error.code !== 'ENOENT';
  }
}

const notes = [];

const handle = telemetry.wrap(
  'notesd.http.request',
  (req) => ({
    'http.route': req.url === '/notes' || req.url === '/health' ? req.url : 'unknown',
    'http.request.method': req.method === 'GET' || req.method === 'POST' ? req.method : 'OTHER',
  }),
  async (req, res) => {
    if (req.url === '/health') return send(res, 200, { ok: true });
    if (req.url !== '/notes') return send(res, 404, { error: 'not found' });
    if (req.method === 'GET') return send(res, 200, notes);
    let body = '';
    for await (const chunk of req) body += chunk;
    notes.push(body);
    telemetry.track('notesd.note.created', { 'note.length': body.length });
    return send(res, 201, { id: notes.length });
  },
);

function send(res, status, value) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(value));
}

const server = createServer((req, res) => {
  handle(req, res).catch(() => send(res, 500, { error: 'internal' }));
});

server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${server.address().port}`);
});

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, async () => {
    server.close();
    await telemetry.shutdown();
    process.exit(0);
  });
}
