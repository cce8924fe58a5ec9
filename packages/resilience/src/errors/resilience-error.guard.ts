import { hasBrand } from '@nestmesh/common';
import { RESILIENCE_ERROR_BRAND } from '../resilience.constants.js';

/** Whether `error` was thrown by this package (any of its error classes, from any copy of the package). */
export const isResilienceError = (error: unknown): error is Error => hasBrand(error, RESILIENCE_ERROR_BRAND);
