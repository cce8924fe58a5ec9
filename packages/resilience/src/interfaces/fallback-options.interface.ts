/**
 * What `@Fallback()` returns instead of an error: a value, or a function called with the error and the
 * call's arguments (`this` is the instance). A function result may be a Promise or, on an Observable method,
 * an Observable. To fall back to a function value, return it from a factory: `@Fallback(() => myFn)`.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type FallbackHandler<T = unknown> = T | ((error: unknown, ...args: any[]) => unknown);
