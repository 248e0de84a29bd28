// The notes MCP server's telemetry catalog: the complete list of what it may ever send.
import { defineCatalog } from 'optel';
import { mcpAttributes } from 'optel/mcp';

/** The tools the server offers: the only tool names telemetry may carry. */
export const TOOLS = ['add_note', 'read_note', 'delete_note'];

export const catalog = defineCatalog({
  app: 'notes',
  docs: {
    destination: 'The OTLP endpoint run by the notes maintainers (configurable with OTEL_EXPORTER_OTLP_ENDPOINT).',
    retention: 'Aggregates are kept for 13 months.',
  },
  events: {
    'notes.mcp.tool_called': {
      description: 'An MCP client called one of the server\'s tools.',
      duration: true,
      attributes: mcpAttributes({
        tools: TOOLS,
        // Names as MCP clients send them in `clientInfo.name`; every other client is counted as "other".
        clients: ['claude-ai', 'claude-code', 'cursor-vscode', 'codex-mcp-client', 'Visual Studio Code'],
        errorTypes: ['NoteNotFoundError'],
      }),
    },
  },
});

/** The server's consent defaults: anonymous aggregates on, per-call events opt-in. */
export const defaults = { metrics: true, events: false, traces: false, flush: 'hourly' };

export default catalog;
