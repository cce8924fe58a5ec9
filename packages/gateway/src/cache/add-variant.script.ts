/**
 * {@link CacheStore.addVariant} in Redis, one atomic step with the rules of `MemoryCacheStore.addVariant()`; the
 * index keeps the layout `RedisCacheStore.get()` reads (a 4-byte big-endian length, then the JSON).
 * KEYS[1]: the URL's key. ARGV: the header names (JSON array, sorted), the variant key, maxVariants, ttl ms.
 * Expiry times come from the Redis server's clock, the same for every gateway. Returns the dropped variant keys.
 * @internal
 */
export const ADD_VARIANT_SCRIPT = `
local names = cjson.decode(ARGV[1])
local own, maxVariants, ttl = ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)

local earlier
local raw = redis.call('GET', KEYS[1])
if raw and #raw >= 4 then
  local ok, record = pcall(cjson.decode, string.sub(raw, 5, 4 + struct.unpack('>I4', raw)))
  if ok and type(record) == 'table' and type(record.variants) == 'table' then earlier = record end
end

local variants, dropped = { { key = own, expiresAt = now + ttl } }, {}
if earlier then
  local sameNames = type(earlier.varyNames) == 'table' and #earlier.varyNames == #names
  if sameNames then
    for i = 1, #names do
      if earlier.varyNames[i] ~= names[i] then sameNames = false end
    end
  end
  for _, variant in ipairs(earlier.variants) do
    if variant.key ~= own then
      if not sameNames then
        table.insert(dropped, variant.key)
      elseif tonumber(variant.expiresAt) > now then
        table.insert(variants, { key = variant.key, expiresAt = tonumber(variant.expiresAt) })
      end
    end
  end
end
while #variants > maxVariants do
  table.insert(dropped, table.remove(variants).key)
end

local last = now
for _, variant in ipairs(variants) do
  if variant.expiresAt > last then last = variant.expiresAt end
end
local json = cjson.encode({ varyNames = names, variants = variants })
redis.call('SET', KEYS[1], struct.pack('>I4', #json) .. json, 'PX', math.max(1, last - now))
return dropped
`;
