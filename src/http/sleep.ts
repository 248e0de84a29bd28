/**
 * Waits `ms`, or less: calling any function in `sleepers` (where the wait puts its own waker until
 * it ends) ends it at once — how a stop or a settled count cuts every pending wait short.
 */
export function sleep(ms: number, sleepers: Set<() => void>): Promise<void> {
  return new Promise((resolve) => {
    const wake = () => {
      clearTimeout(timer);
      sleepers.delete(wake);
      resolve();
    };
    const timer = setTimeout(wake, ms);
    sleepers.add(wake);
  });
}
