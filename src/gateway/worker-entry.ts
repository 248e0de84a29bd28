import { parentPort, workerData } from 'node:worker_threads';
import { runGateway } from './run-gateway.js';
import type { GatewayCommandOptions } from './run-in-worker.js';

// The gateway's thread (see run-in-worker.ts): runs the command until the main thread says stop.
const stop = new AbortController();
parentPort?.once('message', () => stop.abort());
const exitCode = await runGateway({ ...(workerData as GatewayCommandOptions), signal: stop.signal });
parentPort?.postMessage({ exitCode });
parentPort?.close();
