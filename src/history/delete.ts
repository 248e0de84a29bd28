import { rmSync } from 'node:fs';
import { diagLog } from '../diag.js';

/**
 * Deletes the whole history (telemetry turned off, or the user asked). Never throws: a failure is a
 * diag line, and returns false.
 */
export function deleteHistory(historyDir: string): boolean {
  try {
    rmSync(historyDir, { recursive: true, force: true });
    return true;
  } catch (error) {
    diagLog('warn', `could not delete the local history: ${(error as Error).message}`);
    return false;
  }
}
