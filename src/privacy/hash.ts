import { nodeCrypto } from './node-crypto.js';
import { HASHED_ID_LENGTH } from './rules.js';

/**
 * Hashes identifiers with HMAC-SHA256 keyed by the installation's salt. The salt never leaves the
 * machine, so nobody holding the data can confirm a guess ("is this hash of /home/alice/acme?").
 */
export function createHasher(salt: string): (value: string) => string {
  return (value) => nodeCrypto().createHmac('sha256', salt).update(value).digest('hex').slice(0, HASHED_ID_LENGTH);
}

/** A fresh random salt (256 bits, hex). */
export function newSalt(): string {
  return nodeCrypto().randomBytes(32).toString('hex');
}
