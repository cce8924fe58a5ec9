/** @internal Runs the attempts of one call: the shape of `@nestmesh/resilience`'s `ResiliencePolicy.execute()`. */
export interface AttemptRunner {
  execute<T>(fn: (context: { signal: AbortSignal | undefined; attempt: number }) => PromiseLike<T> | T, signal?: AbortSignal): Promise<T>;
}

/** @internal Vetoes a retry the policy would make (budget, idempotency, another instance left). */
export type RetryVeto = (error: unknown, attempt: number) => boolean;
