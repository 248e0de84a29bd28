import type { Reasons } from './reasons.js';

/**
 * A resource's, scope's, record's or span's dropped-items count (attributes, events, links) as the gateway forwards it:
 * 0. The SDK sends 0 (the catalog keeps every item well within OpenTelemetry's limits), so a
 * client's count is a number of its choosing, 32 bits that would ride upstream past the allowlist.
 * What the gateway itself removed is said in partial success, not here: a count it forwarded
 * would be such a number to the next gateway, and filtering what passed must change nothing.
 */
export function clearedDroppedCount(sent: number, reasons: Reasons): 0 {
  if (sent !== 0) reasons.strip('dropped counts');
  return 0;
}
