import type { RetryOptions } from '@nestmesh/resilience';
import { retryAfterMs } from '../request/request-headers.js';
import type { AttemptRunner, RetryVeto } from './attempt-runner.interface.js';

const retryAfterOf = (error: unknown): number =>
  retryAfterMs((error as { headers?: Record<string, string | string[] | undefined> } | null)?.headers?.['retry-after']) ?? 0;

function wait(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * @internal Retries without a resilience module: up to `maxAttempts`, exponential backoff with full jitter,
 * at least the `Retry-After` of the error, capped at `maxDelay`, only when `veto` allows.
 */
export function localRetryRunner(retry: RetryOptions | false, veto: RetryVeto): AttemptRunner {
  const maxAttempts = retry ? (retry.maxAttempts ?? 3) : 1;
  const backoff = retry ? retry.backoff : undefined;
  const initial = backoff?.initialDelay ?? 25;
  const max = backoff?.maxDelay ?? 1_000;
  const exponent = backoff?.exponent ?? 2;
  return {
    async execute(fn, signal) {
      for (let attempt = 1; ; attempt++) {
        try {
          return await fn({ signal, attempt });
        } catch (error) {
          if (attempt >= maxAttempts || !veto(error, attempt)) throw error;
          const delay = Math.random() * Math.min(max, initial * exponent ** (attempt - 1));
          await wait(Math.min(max, Math.max(delay, retryAfterOf(error))), signal);
        }
      }
    },
  };
}
