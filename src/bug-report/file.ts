import { closeSync, existsSync, fstatSync, openSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { BugReport } from './bundle.js';
import { assertBugReport } from './validate.js';
import { linkNew } from '../fs/link-new.js';
import { withTempFile } from '../fs/with-temp-file.js';

/** Where a written bug report is, and its size on disk. */
export interface WrittenBugReport {
  readonly path: string;
  readonly bytes: number;
}

// Decompressed size limit when reading: a real report is well under a megabyte; this stops a
// crafted file from inflating into all the memory there is.
const MAX_JSON_BYTES = 64 * 1024 * 1024;

const TOO_LARGE = `larger than ${MAX_JSON_BYTES / 1024 / 1024} MiB`;

/** The file's bytes, refused unread when there are more than a report can unpack to. */
function readLimited(path: string): Buffer {
  const fd = openSync(path, 'r');
  try {
    // Checked on the open file, so that it cannot be swapped for a larger one in between. Only a
    // regular file has a size to check: a pipe or a device (/dev/zero, /dev/stdin) would be read without end.
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new TypeError(`${path} is not a bug report: not a regular file`);
    if (stat.size > MAX_JSON_BYTES) throw new TypeError(`${path} is not a bug report: ${TOO_LARGE}`);
    return readFileSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** `<app>-bug-report-<YYYYMMDD-HHMMSS>.json.gz` (UTC; no colons, which some file systems refuse). */
export function bugReportFileName(report: Pick<BugReport, 'app' | 'createdAt'>, attempt = 1): string {
  const app = report.app.replace(/[^A-Za-z0-9._-]/g, '_') || 'app';
  const stamp = report.createdAt.replace(/\.\d+Z$/, '').replace(/[-:]/g, '').replace('T', '-');
  return `${app}-bug-report-${stamp}${attempt > 1 ? `-${attempt}` : ''}.json.gz`;
}

/**
 * Writes the report into `dir` as one gzip'd JSON file and returns where. One compressed JSON is the
 * whole archive: a single document needs no container, every platform opens it (`zcat`, `gzip -d`,
 * any archive tool), and Node writes it with no dependency. The file appears whole or not at all
 * (temp file + link), and an existing report is never overwritten (`-2`, `-3`… are added).
 */
export function writeBugReport(report: BugReport, dir: string): WrittenBugReport {
  const data = gzipSync(`${JSON.stringify(report, null, 2)}\n`, { level: 9 });
  return withTempFile(join(dir, `.${bugReportFileName(report)}.${process.pid}.tmp`), data, (tmp) => {
    for (let attempt = 1; ; attempt++) {
      const path = join(dir, bugReportFileName(report, attempt));
      const linked = linkNew(tmp, path);
      if (linked === 'exists') continue;
      if (linked === 'unsupported') {
        // No hard links on this file system: rename, after checking the name is free.
        if (existsSync(path)) continue;
        renameSync(tmp, path);
      }
      return { path, bytes: data.length };
    }
  }, true);
}

/**
 * Reads a report written by `writeBugReport` (plain JSON is accepted too, e.g. after `gunzip`), and
 * checks its `format` and every field the listing and replay use. Throws a `TypeError` saying what is
 * wrong; a file over 64 MiB (as it is, or once unpacked) is refused without being read whole.
 */
export function readBugReport(path: string): BugReport {
  const raw = readLimited(path);
  const gzipped = raw.length >= 2 && raw[0] === 0x1f && raw[1] === 0x8b;
  let text: string;
  try {
    text = (gzipped ? gunzipSync(raw, { maxOutputLength: MAX_JSON_BYTES }) : raw).toString('utf8');
  } catch (error) {
    throw new TypeError(`${path} is not a bug report: ${(error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' ? TOO_LARGE : 'damaged gzip data'}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new TypeError(`${path} is not a bug report: not JSON`);
  }
  assertBugReport(value);
  return value;
}
