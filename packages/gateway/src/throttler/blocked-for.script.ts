/**
 * How long a key of {@link THROTTLE_SCRIPT} stays blocked, read without counting a hit (nothing is written).
 *
 * KEYS[1]: the key's state hash (its block is shared by its throttler names, as in `THROTTLE_SCRIPT`).
 * ARGV: now ms ('' = the Redis server's clock). Returns whole seconds left (rounded up), 0 when not blocked. @internal
 */
export const BLOCKED_FOR_SCRIPT = `
local state = redis.call('HMGET', KEYS[1], 'isBlocked', 'blockExpiresAt')
if tonumber(state[1]) ~= 1 then return 0 end
local now = tonumber(ARGV[1])
if not now then
  local time = redis.call('TIME')
  now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
end
local left = (tonumber(state[2]) or 0) - now
if left <= 0 then return 0 end
return math.ceil(left / 1000)
`;
