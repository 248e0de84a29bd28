#!/usr/bin/env node
// A small stdio MCP server (an in-memory notes store) instrumented with optel. Its stdout is the MCP
// protocol, so telemetry stays off it: the first-run notice goes to stderr, records to a spool at exit.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import * as z from 'zod';
import { instrumentMcpServer } from 'optel/mcp';
import { telemetry } from './telemetry.mjs';

/** Thrown by `delete_note` for a note that does not exist (the SDK turns it into an `isError` reply). */
class NoteNotFoundError extends Error {
  name = 'NoteNotFoundError';
}

const notes = new Map();
let next = 1;
const text = (value) => ({ content: [{ type: 'text', text: value }] });

const server = new McpServer({ name: 'notes', version: '0.2.0' });
// Before the tools, so that what a tool throws keeps its class.
instrumentMcpServer(server, telemetry, { event: 'notes.mcp.tool_called' });

server.registerTool(
  'add_note',
  { description: 'Stores a note and returns its number.', inputSchema: { text: z.string() } },
  ({ text: body }) => {
    const id = next++;
    notes.set(id, body);
    return text(`added note #${id}`);
  },
);

server.registerTool(
  'read_note',
  { description: 'Returns a note by number.', inputSchema: { id: z.number().int() } },
  ({ id }) => {
    // A missing note is reported to the model as a tool error, the way MCP asks tools to do it.
    if (!notes.has(id)) return { ...text(`no note #${id}`), isError: true };
    return text(notes.get(id));
  },
);

server.registerTool(
  'delete_note',
  { description: 'Deletes a note by number.', inputSchema: { id: z.number().int() } },
  async ({ id }) => {
    if (!notes.delete(id)) throw new NoteNotFoundError(`no note #${id}`);
    return text(`deleted note #${id}`);
  },
);

await server.connect(new StdioServerTransport());
