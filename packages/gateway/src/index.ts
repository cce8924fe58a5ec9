export { RedisThrottlerStorage, type ThrottlerStorageAnswer } from './throttler/redis-throttler.storage.js';
export type { RedisThrottlerStorageOptions, ThrottlerFailureMode } from './throttler/redis-throttler-storage.options.js';
export { GatewayConfigurationError, isGatewayConfigurationError } from './errors/gateway-configuration.error.js';
export { apiKeyTracker, clientIpTracker, userTracker } from './throttler/throttler-keys.js';
