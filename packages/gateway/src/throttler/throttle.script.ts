/** Lua: `now` (ms) from `arg`, else from the Redis server's clock (`TIME`), which every gateway shares. */
const readNow = (arg: string): string => `local now = tonumber(${arg})
if not now then
  local time = redis.call('TIME')
  now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
end`;

/**
 * One atomic increment of @nestjs/throttler's storage contract in Redis, with the rules of throttler's own
 * `ThrottlerStorageService` (6.x) step by step, so switching storage never changes who is let through.
 *
 * State of a key (shared by its throttler names, as in memory):
 * - hash `KEYS[1]`: `expiresAt`, `blockExpiresAt` (ms), `isBlocked` (0/1), `seq` (unique hit ids);
 * - sorted set `KEYS[2]` (one per throttler name): one member per counted hit, scored by when it expires.
 *
 * ARGV: ttl ms, limit, blockDuration ms, now ms ('' = the Redis server's clock, shared by every gateway).
 * Returns `{ totalHits, timeToExpire, isBlocked (0/1), timeToBlockExpire }`, times in whole seconds as throttler does.
 * Both keys get a PEXPIRE covering their last deadline, so idle keys vanish like the in-memory sweep. @internal
 */
export const THROTTLE_SCRIPT = `
local record, hits = KEYS[1], KEYS[2]
local ttl, limit, block = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
${readNow('ARGV[4]')}
local function seconds(ms) return math.ceil(ms / 1000) end

local state = redis.call('HMGET', record, 'expiresAt', 'blockExpiresAt', 'isBlocked')
local expiresAt = tonumber(state[1]) or (now + ttl)
local blockExpiresAt = tonumber(state[2]) or 0
local isBlocked = tonumber(state[3]) or 0

-- Hits whose own window has passed no longer count.
redis.call('ZREMRANGEBYSCORE', hits, '-inf', now)
local totalHits = redis.call('ZCARD', hits)
if expiresAt <= now then expiresAt = now + ttl end
local timeToExpire = seconds(expiresAt - now)

local function fire()
  local id = redis.call('HINCRBY', record, 'seq', 1)
  redis.call('ZADD', hits, now + ttl, id)
  totalHits = totalHits + 1
end

local function save()
  redis.call('HSET', record, 'expiresAt', expiresAt, 'blockExpiresAt', blockExpiresAt, 'isBlocked', isBlocked)
  local last = math.max(expiresAt, blockExpiresAt, now + ttl, now + 1) - now
  redis.call('PEXPIRE', record, last)
  redis.call('PEXPIRE', hits, last)
end

if block <= 0 then
  -- Without a block duration a request over the limit is refused but not counted (a sliding log).
  local refused = totalHits >= limit
  if not refused then fire() end
  local timeToBlockExpire = 0
  if refused then
    local oldest = redis.call('ZRANGE', hits, 0, 0, 'WITHSCORES')
    if oldest[2] then timeToBlockExpire = seconds(tonumber(oldest[2]) - now) else timeToBlockExpire = timeToExpire end
  end
  save()
  return { totalHits + (refused and 1 or 0), timeToExpire, refused and 1 or 0, timeToBlockExpire }
end

if isBlocked == 0 then fire() end
if totalHits > limit and isBlocked == 0 then
  isBlocked = 1
  blockExpiresAt = now + block
end
local timeToBlockExpire = seconds(blockExpiresAt - now)
if timeToBlockExpire <= 0 and isBlocked == 1 then
  -- The block is over: start again from this one hit.
  isBlocked = 0
  redis.call('DEL', hits)
  totalHits = 0
  fire()
end
save()
return { totalHits, timeToExpire, isBlocked, timeToBlockExpire }
`;

/**
 * How long a key of {@link THROTTLE_SCRIPT} stays blocked, read without counting a hit (nothing is written).
 * KEYS[1]: the key's state hash. ARGV: now ms ('' = the Redis server's clock). Returns whole seconds left
 * (rounded up), 0 when not blocked. @internal
 */
export const BLOCKED_FOR_SCRIPT = `
local state = redis.call('HMGET', KEYS[1], 'isBlocked', 'blockExpiresAt')
if tonumber(state[1]) ~= 1 then return 0 end
${readNow('ARGV[1]')}
local left = (tonumber(state[2]) or 0) - now
if left <= 0 then return 0 end
return math.ceil(left / 1000)
`;
