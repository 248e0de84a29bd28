/**
 * The closed class of a thrown value: a Node system code (`ENOENT`) when there is one, otherwise the
 * error's name (`TypeError`). Never the message or the stack, which carry paths and user data; the
 * catalog's enum then maps anything undeclared to `_OTHER`.
 */
export function errorClass(error: unknown): string {
  try {
    if (typeof error === 'object' && error !== null) {
      const code = (error as { code?: unknown }).code;
      if (typeof code === 'string' && /^E[A-Z0-9_]{2,30}$/.test(code)) return code;
      const name = (error as { name?: unknown }).name;
      if (typeof name === 'string' && /^[A-Za-z][A-Za-z0-9_]{0,63}$/.test(name)) return name;
    }
  } catch {
    // A throwing getter or a revoked Proxy: the host's error goes on untouched, classed as unknown.
  }
  return '_OTHER';
}
