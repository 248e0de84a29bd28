/**
 * Bytes shared by every request body being received at once, so memory stays bounded however many
 * connections upload together (a per-body limit alone allows connections × limit).
 */
export interface ByteBudget {
  /** Takes `n` bytes if that many are left; false (and nothing taken) if not. */
  take(n: number): boolean;
  /** Returns bytes taken earlier. */
  give(n: number): void;
  /** Bytes not taken. */
  readonly left: number;
}

/** A budget of `max` bytes. */
export function createByteBudget(max: number): ByteBudget {
  let used = 0;
  return {
    take(n) {
      if (used + n > max) return false;
      used += n;
      return true;
    },
    give(n) {
      used = Math.max(0, used - n);
    },
    get left() {
      return max - used;
    },
  };
}
