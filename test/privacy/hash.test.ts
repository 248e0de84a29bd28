import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createHasher, newSalt } from '../../src/privacy/hash.js';
import { HASHED_ID_LENGTH } from '../../src/privacy/rules.js';

const IDS = ['/home/alice/acme', 'acme', '', 'é', '😀', 'a'.repeat(10_000)];

describe('createHasher', () => {
  it('is an HMAC-SHA256 keyed by the salt, truncated to 128 bits of lowercase hex', () => {
    const salt = newSalt();
    const h = createHasher(salt);
    for (const id of IDS) {
      const expected = createHmac('sha256', salt).update(id).digest('hex').slice(0, 32);
      expect(h(id)).toBe(expected);
      expect(h(id)).toMatch(/^[0-9a-f]{32}$/);
    }
    expect(HASHED_ID_LENGTH).toBe(32);
  });

  it('is stable for one salt, across hasher instances', () => {
    const salt = newSalt();
    for (const id of IDS) expect(createHasher(salt)(id)).toBe(createHasher(salt)(id));
  });

  it('gives different hashes under different salts, so ids never join across installations', () => {
    const a = createHasher(newSalt());
    const b = createHasher(newSalt());
    for (const id of IDS) expect(a(id)).not.toBe(b(id));
  });

  it('is not a plain (unkeyed) SHA-256 anybody could recompute from a guess', () => {
    const h = createHasher(newSalt());
    const plain = (v: string) => createHmac('sha256', '').update(v).digest('hex').slice(0, 32);
    expect(h('/home/alice/acme')).not.toBe(plain('/home/alice/acme'));
  });

  it('never returns its input, even when the input is itself 32 hex characters', () => {
    const h = createHasher(newSalt());
    const hexy = 'deadbeefdeadbeefdeadbeefdeadbeef';
    expect(h(hexy)).not.toBe(hexy);
    expect(h(h(hexy))).not.toBe(h(hexy));
  });

  it('separates distinct ids', () => {
    const h = createHasher(newSalt());
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) seen.add(h(`project-${i}`));
    expect(seen.size).toBe(2000);
  });
});

describe('newSalt', () => {
  it('is 256 random bits as hex, different every time', () => {
    const salts = Array.from({ length: 50 }, () => newSalt());
    for (const s of salts) expect(s).toMatch(/^[0-9a-f]{64}$/);
    expect(new Set(salts).size).toBe(50);
  });
});
