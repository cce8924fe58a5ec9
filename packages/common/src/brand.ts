/**
 * Marks an error as one of ours in a way that survives two copies of the package in one process
 * (`instanceof` does not): the guards check this property, not the class. @internal
 */
export function hasBrand(error: unknown, brand: symbol): boolean {
  return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[brand] === true;
}

/**
 * The `isXxxError()` guard of an error class branded `brand`: true for one from any copy of the package. @internal
 *
 * @example
 * export const isNoInstancesError = brandGuard<NoInstancesError>(BRAND);
 */
export const brandGuard = <T>(brand: symbol) => (error: unknown): error is T => hasBrand(error, brand);
