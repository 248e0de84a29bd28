#!/usr/bin/env node
import { rmSync, writeSync } from 'node:fs';
import { readLayers } from '../config/load.js';
import { deliverableTiers, resolveConfig } from '../config/resolve.js';
import { readInstallation } from '../config/installation.js';
import type { SenderArgs } from '../spool/launch.js';
import { acquireSenderLock, releaseSenderLock } from '../spool/lock.js';

/** How long an `immediate` sender waits so that processes exiting together share one export. */
const SETTLE_MS = 300;

/**
 * The detached sender process: re-resolves consent (it may have changed since the records were
 * spooled), deletes the spool when telemetry is now off, otherwise delivers completed windows.
 * Its stdout is never the host's; it exits as soon as there is nothing left to do.
 */
async function main(): Promise<void> {
  const args = JSON.parse(process.argv[2] ?? '{}') as SenderArgs;
  const consent = () => {
    const { layers, killedBy } = readLayers({ app: args.app, env: process.env, cwd: args.paths.stateDir, paths: args.paths, projectFile: false, defaults: args.defaults });
    return { config: resolveConfig(layers, killedBy), tiers: deliverableTiers(layers, killedBy), killedBy };
  };
  const { config, tiers, killedBy } = consent();
  // Off is off. (Stored settings that have every tier off are not enough: records a run's
  // environment turned back on still go, see `Override`.)
  if (killedBy !== undefined) {
    rmSync(args.paths.spoolDir, { recursive: true, force: true });
    return;
  }
  // The lock comes before the OTel SDK is loaded (~300 ms): the many senders that processes exiting
  // together launch then leave at once, instead of each loading the SDK to find the lock taken.
  if (config.debug || !acquireSenderLock(args.paths.spoolDir)) return;
  try {
    const { deliverUntilEmpty } = await import('./deliver.js');
    const installation = readInstallation(args.paths.stateDir);
    await deliverUntilEmpty({
      spoolDir: args.paths.spoolDir,
      config,
      tiers,
      stillAllowed: () => consent().tiers,
      fallback: { app: args.app, version: args.version, installationId: installation?.id ?? 'unknown' },
      stderr: (text) => writeSync(2, text),
      settleMs: config.flush === 'immediate' ? SETTLE_MS : 0,
      lockHeld: true,
      capBytes: args.spoolCapBytes,
    });
  } finally {
    releaseSenderLock(args.paths.spoolDir);
  }
}

main().then(
  () => process.exit(0),
  () => process.exit(1),
);
