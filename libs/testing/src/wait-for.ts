/** Options of {@link waitFor}. */
export interface WaitForOptions {
  /** Give up after this many milliseconds. Default 10 000. */
  timeout?: number;
  /** Pause between two tries, in milliseconds. Default 50. */
  interval?: number;
  /** Named in the error when the condition never holds. */
  description?: string;
}

/**
 * Polls `probe` until it returns a value that is not `undefined`, `null` or `false`, and returns that value.
 * Errors thrown by the probe count as "not yet"; the last one is reported on timeout.
 *
 * @example
 * const entry = await waitFor(async () => (await health('orders')).find((e) => e.Service.Port === port));
 */
export async function waitFor<T>(
  probe: () => T | Promise<T>,
  { timeout = 10_000, interval = 50, description = 'condition' }: WaitForOptions = {},
): Promise<Exclude<T, undefined | null | false>> {
  const deadline = Date.now() + timeout;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== null && value !== false) return value as Exclude<T, undefined | null | false>;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const cause = lastError instanceof Error ? `; last error: ${lastError.message}` : '';
      throw new Error(`waitFor: ${description} did not hold within ${timeout} ms${cause}`);
    }
    await sleep(interval);
  }
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
