/**
 * Marks an error as one of ours in a way that survives two copies of the package in one process
 * (`instanceof` does not): the guards check this property, not the class. @internal
 */
export function hasBrand(error: unknown, brand: symbol): boolean {
  return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[brand] === true;
}
