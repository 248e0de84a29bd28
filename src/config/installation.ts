import { lstatSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { ensureDir } from '../fs/ensure-dir.js';
import { linkNew } from '../fs/link-new.js';
import { withTempFile } from '../fs/with-temp-file.js';
import { join } from 'node:path';
import { newSalt } from '../privacy/hash.js';
import { nodeCrypto } from '../privacy/node-crypto.js';
import { writeFileAtomic } from './atomic-file.js';

/** This installation's identity: a random UUID and the salt for hashed ids. Neither is derived from the machine. */
export interface Installation {
  readonly id: string;
  readonly salt: string;
  readonly createdAt: string;
}

const FILE = 'installation.json';
const NOTICE_FILE = 'notice-shown';

function parse(text: string): Installation | undefined {
  try {
    const o = JSON.parse(text) as Partial<Installation>;
    if (typeof o.id === 'string' && typeof o.salt === 'string' && o.salt.length >= 32) {
      return { id: o.id, salt: o.salt, createdAt: String(o.createdAt ?? '') };
    }
  } catch {
    // a damaged file is replaced below
  }
  return undefined;
}

/** A new identity, not saved anywhere (debug mode shows hashes with it and writes nothing). */
export function freshInstallation(): Installation {
  return { id: nodeCrypto().randomUUID(), salt: newSalt(), createdAt: new Date().toISOString() };
}

/** The installation, if one was created. */
export function readInstallation(stateDir: string): Installation | undefined {
  try {
    return parse(readFileSync(join(stateDir, FILE), 'utf8'));
  } catch {
    return undefined;
  }
}

/**
 * The installation, created on first use. Concurrent first runs agree on one identity: each writes
 * a private temp file and hard-links it into place, and the losers read the winner's.
 */
export function ensureInstallation(stateDir: string): Installation {
  const existing = readInstallation(stateDir);
  if (existing) return existing;
  ensureDir(stateDir);
  const target = join(stateDir, FILE);
  const created = freshInstallation();
  return withTempFile(`${target}.${process.pid}.tmp`, JSON.stringify(created), (tmp) => {
    const linked = linkNew(tmp, target);
    if (linked === 'linked') return created;
    const winner = linked === 'exists' ? readInstallation(stateDir) : undefined;
    if (winner) return winner;
    // No hard links here (or a damaged file): a rename still never exposes half a file.
    writeFileAtomic(target, JSON.stringify(created));
    return readInstallation(stateDir) ?? created;
  }, true);
}

/** Replaces the id and the salt, so nothing recorded afterwards can be joined to what came before. */
export function resetInstallation(stateDir: string): Installation {
  const created = freshInstallation();
  writeFileAtomic(join(stateDir, FILE), JSON.stringify(created));
  return created;
}

/** Forgets the installation (id and salt) without making a new one: what a reset does while telemetry is off. */
export function removeInstallation(stateDir: string): void {
  rmSync(join(stateDir, FILE), { force: true });
}

/** Whether the first-run notice was shown for this installation. */
export function noticeShown(stateDir: string): boolean {
  // lstat: a dangling symlink there counts as shown rather than showing the notice on every run.
  return lstatSync(join(stateDir, NOTICE_FILE), { throwIfNoEntry: false }) !== undefined;
}

/** Remembers that the notice was shown. */
export function markNoticeShown(stateDir: string): void {
  ensureDir(stateDir);
  try {
    // 'wx': created, never written through whatever (a dangling symlink) already stands there.
    writeFileSync(join(stateDir, NOTICE_FILE), new Date().toISOString(), { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
}
