/**
 * Settles like `work`, unless `ms` pass first: then like `onTimeout()` (its value, or what it throws). The timer
 * never outlives the race, and it is unref'd: a pending race alone never keeps the process alive. @internal
 *
 * @example
 * await withTimeout(redis.get(key), 500, () => { throw new Error('no answer within 500 ms'); });
 * const closed = await withTimeout(pool.close().then(() => true), 1_000, () => false);
 */
export async function withTimeout<T, U = never>(work: PromiseLike<T>, ms: number, onTimeout: () => U): Promise<T | U> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<U>((resolve, reject) => {
    timer = setTimeout(() => {
      try {
        resolve(onTimeout());
      } catch (error) {
        reject(error as Error);
      }
    }, Math.max(0, ms));
    timer.unref();
  });
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
  }
}
