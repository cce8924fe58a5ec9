/**
 * @internal Runs a graceful close, and the forced one if it has not finished within `ms`; the timer never
 * outlives the close.
 */
export async function closeWithDeadline(graceful: () => Promise<unknown>, forced: () => Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<'expired'>((resolve) => (timer = setTimeout(() => resolve('expired'), ms)));
  try {
    const outcome = await Promise.race([graceful().then(() => 'closed' as const), expired]);
    if (outcome === 'expired') await forced();
  } catch {
    await forced().catch(() => undefined);
  } finally {
    clearTimeout(timer);
  }
}
