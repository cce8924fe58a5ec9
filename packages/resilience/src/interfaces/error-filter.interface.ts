/** An error class, matched with `instanceof`. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ErrorClass = abstract new (...args: any[]) => unknown;

/**
 * Which errors a policy handles: a predicate, or a list of error classes (matched with `instanceof`).
 *
 * @example
 * retryOn: (error) => error instanceof HttpException && error.getStatus() === 503
 * retryOn: [ServiceUnavailableException, GatewayTimeoutException]
 */
export type ErrorFilter = ((error: unknown) => boolean) | readonly ErrorClass[];
