/** Every error and warning text of the package, so they read alike. @internal */
export const messages = {
  invalidRedis: (value: unknown) =>
    `RedisThrottlerStorage: invalid "redis" option ${JSON.stringify(value)}. Use a URL ("redis://127.0.0.1:6379"), ioredis options, ` +
    `or an ioredis client.`,
  invalidFailureMode: (value: unknown) =>
    `RedisThrottlerStorage: invalid "failureMode" ${JSON.stringify(value)}. Use 'open' (let requests through while Redis is down) ` +
    `or 'closed' (refuse them with 429).`,
  invalidTimeout: (option: string, value: unknown) =>
    `Invalid ${option} ${JSON.stringify(value)}. Use a number of milliseconds greater than 0.`,
  invalidKeyPrefix: (value: unknown) => `RedisThrottlerStorage: invalid "keyPrefix" ${JSON.stringify(value)}. Use a string such as "nestmesh:throttler:".`,
  invalidClock: (value: unknown) => `RedisThrottlerStorage: invalid "clock" ${String(value)}. Use a function returning epoch milliseconds (e.g. Date.now), or leave it unset.`,
  redisFailing: (detail: string, mode: 'open' | 'closed') =>
    `Redis does not answer (${detail}): throttling fails ${mode}, so requests are ${mode === 'open' ? 'let through unthrottled' : 'refused with 429'} ` +
    `until it does. Check REDIS_URL and that Redis is up; set failureMode to choose the other behaviour.`,
} as const;
