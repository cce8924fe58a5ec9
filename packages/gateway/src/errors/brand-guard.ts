import { hasBrand } from '@nestmesh/common';

/** The `isXxxError()` guard of an error class branded `brand`: true for one from any copy of the package. @internal */
export const brandGuard = <T>(brand: symbol) => (error: unknown): error is T => hasBrand(error, brand);
