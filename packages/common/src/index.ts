/**
 * Helpers shared by the nestmesh packages. Internal: the packages depend on it, applications should not (its API
 * may change in any release).
 */
export { brandGuard, hasBrand } from './brand.js';
export { describeValue } from './describe-value.js';
export { closestKey, editDistance, findUnknownKey, optionKeys, unknownOptionMessage, type UnknownKey } from './unknown-keys.js';
export { CONNECTION_HEADER_FIX, isConnectionHeader, isHeaderName, isHeaderValue, isNumberIn, isObject, isPort, isServiceName, MAX_TIMER_MS, type NumberRange } from './option-values.js';
export { retryAfterMs } from './retry-after.js';
export { lastValueUntilAborted, untilAborted, type AbortLike, type SubscribableLike } from './until-aborted.js';
export { withTimeout } from './with-timeout.js';
