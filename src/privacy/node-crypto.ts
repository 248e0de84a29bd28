import { createRequire } from 'node:module';

type NodeCrypto = typeof import('node:crypto');
let loaded: NodeCrypto | undefined;

/**
 * `node:crypto`, loaded on first use. Loading it costs a CLI several milliseconds at start-up, and
 * the usual run needs it for nothing: only a new identity and hashed ids (events tier) do.
 */
export function nodeCrypto(): NodeCrypto {
  return (loaded ??= createRequire(import.meta.url)('node:crypto') as NodeCrypto);
}
