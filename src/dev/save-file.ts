import { closeSync, openSync, unlinkSync, writeSync } from 'node:fs';
import { encodeRequest } from '../otlp/encode.js';
import type { OtlpSignal } from '../otlp/signals.js';
import type { OtlpRequestMap } from '../otlp/types.js';
import type { SaveSnapshot } from './snapshot.js';

/** A JSON-lines file of every accepted export. */
export interface SaveFile {
  /** Appends one request as one line; a failed write is counted and reported, never thrown. */
  append<S extends OtlpSignal>(signal: S, request: OtlpRequestMap[S]): void;
  /** Where and how many lines, for the dashboard and the summary. */
  snapshot(): SaveSnapshot;
  /** Closes the file; later appends are ignored. */
  close(): void;
  /** Closes the file and removes it if this run created it and wrote nothing (the server never started). */
  abandon(): void;
}

/**
 * Opens `file` for appending (created if missing; throws now if it cannot be opened, so a
 * typo fails at start, not silently later). Each line is one `Export…ServiceRequest` in the
 * official OTLP/JSON encoding: the format of the OpenTelemetry file exporter, which the
 * Collector's `otlpjsonfile` receiver reads back (it skips lines of other signals, so one
 * file can hold all three).
 */
export function openSaveFile(file: string, onError: (message: string) => void = () => {}): SaveFile {
  // 0600 like every file optel writes: the lines hold what the app sent (ids, hashes, text).
  let created = true;
  let fd: number | undefined;
  try {
    fd = openSync(file, 'ax', 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    created = false;
    fd = openSync(file, 'a', 0o600);
  }
  let lines = 0;
  let errors = 0;
  const close = () => {
    if (fd === undefined) return;
    try {
      closeSync(fd);
    } catch {
      // Already gone: nothing left to flush.
    }
    fd = undefined;
  };
  return {
    append(signal, request) {
      if (fd === undefined) return;
      try {
        const json = encodeRequest(signal, request, 'json');
        const line = Buffer.allocUnsafe(json.byteLength + 1);
        line.set(json, 0);
        line[json.byteLength] = 0x0a;
        // One synchronous write per line: lines never interleave, and a crash loses at most one.
        writeSync(fd, line);
        lines++;
      } catch (err) {
        errors++;
        onError(`could not append to ${file}: ${err instanceof Error ? err.message : String(err)}`);
      }
    },
    snapshot: () => ({ file, lines, errors }),
    close,
    abandon() {
      close();
      if (!created || lines > 0) return;
      try {
        unlinkSync(file);
      } catch {
        // Someone else's by now, or already gone: leave it.
      }
    },
  };
}
