import { attr, outcome, type AttributeTier } from '../semconv/index.js';
import { ERROR_TYPE_VALUE_OTHER } from '../semconv/names.js';

/** The called tool's name: the attribute OTel's MCP conventions use for `tools/call`. */
export const ATTR_GEN_AI_TOOL_NAME = 'gen_ai.tool.name';
/** The connecting client's `clientInfo.name` from `initialize`, bucketed to the declared clients. */
export const ATTR_MCP_CLIENT_NAME = 'mcp.client.name';
/** The connecting client's `clientInfo.version`, reduced to major.minor.patch. */
export const ATTR_MCP_CLIENT_VERSION = 'mcp.client.version';
/** The bucket of every client the author did not declare. */
export const MCP_CLIENT_OTHER = 'other';
/** `error.type` of a tool result with `isError: true`: the tool reported a failure without throwing. */
export const MCP_TOOL_ERROR = 'ToolError';
/** `error.type` of a call the SDK refused (unknown tool, invalid arguments) or answered with a JSON-RPC error. */
export const MCP_ERROR = 'McpError';

/** What `mcpAttributes` needs: the closed lists an MCP server's telemetry may name. */
export interface McpAttributeOptions<T extends string, K extends string, X extends string> {
  /** Every tool the server offers; a call to anything else is recorded as `_OTHER`. */
  readonly tools: readonly T[];
  /** Client names (as sent in `clientInfo.name`) worth telling apart; every other client is `other`. */
  readonly clients?: readonly K[];
  /** Error classes the tools throw, besides the built-ins, `ToolError` and `McpError`. */
  readonly errorTypes?: readonly X[];
  /**
   * Lowest tier of the client version (default `events`): per-call records carry it, while the
   * aggregates stay tool × client × outcome so their cardinality does not grow with every release.
   */
  readonly clientVersionTier?: AttributeTier;
}

/**
 * The attribute definitions of an MCP tool-call event, ready to spread into a catalog event with
 * `duration: true`: tool name, client name and version, `success` and a closed `error.type`.
 */
export function mcpAttributes<const T extends string, const K extends string = never, const X extends string = never>(
  options: McpAttributeOptions<T, K, X>,
) {
  // `other` is the enum's fallback, so it is never listed as a value too; with no clients declared,
  // the enum (which needs one value) holds just that bucket.
  const declared = (options.clients ?? []).filter((c) => c !== MCP_CLIENT_OTHER);
  const clients = (declared.length > 0 ? [...new Set(declared)] : [MCP_CLIENT_OTHER]) as (K | typeof MCP_CLIENT_OTHER)[];
  return {
    [ATTR_GEN_AI_TOOL_NAME]: attr.enum(options.tools, {
      fallback: ERROR_TYPE_VALUE_OTHER,
      description: 'The tool that was called; names outside the server\'s tools are recorded as _OTHER.',
    }),
    [ATTR_MCP_CLIENT_NAME]: attr.enum(clients, {
      fallback: MCP_CLIENT_OTHER,
      description: 'The connecting client (clientInfo.name from initialize); undeclared clients are "other".',
    }),
    [ATTR_MCP_CLIENT_VERSION]: attr.semver({
      tier: options.clientVersionTier ?? 'events',
      description: 'The connecting client\'s version (clientInfo.version), reduced to major.minor.patch.',
    }),
    ...outcome<typeof MCP_TOOL_ERROR | typeof MCP_ERROR | X>([MCP_TOOL_ERROR, MCP_ERROR, ...(options.errorTypes ?? [])]),
  };
}
