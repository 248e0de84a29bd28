// One telemetry client for the server. CLI mode fits a stdio MCP server: it lives as long as its
// client, records into memory, and spools at exit (and every 1,000 records, so a long session holds
// little); nothing is ever written to stdout (the protocol). A server expecting more than ~20,000
// tool calls an hour fills the 4 MiB spool before its hourly window is sent: daemon mode suits it.
import { createTelemetry } from 'optel';
import { catalog, defaults } from './catalog.mjs';

export const telemetry = createTelemetry({
  catalog,
  version: '0.2.0',
  defaults: { ...defaults, endpoint: 'http://127.0.0.1:4318' },
  // The server has no `notes telemetry` command to name: the notice gives the variables only.
  notice: { docsUrl: 'https://example.com/notes/TELEMETRY.md', command: false },
});
