import { withTimeout } from '@nestmesh/common';

/**
 * @internal Runs a graceful close, and the forced one if it has not finished within `ms`; the timer never
 * outlives the close.
 */
export async function closeWithDeadline(graceful: () => Promise<unknown>, forced: () => Promise<unknown>, ms: number): Promise<void> {
  try {
    const outcome = await withTimeout(graceful().then(() => 'closed' as const), ms, () => 'expired' as const);
    if (outcome === 'expired') await forced();
  } catch {
    await forced().catch(() => undefined);
  }
}
