-- Write a user's token stamp unless Redis already holds a newer one (accounts/revocation.py).
-- KEYS[1]: the user's stamp key
-- ARGV[1]: the stamp value; ARGV[2]: when it expires (unix ms: the stamp's time + lifetime)
-- Every stamp expires a fixed lifetime after its own time, so the later expiry is the newer
-- stamp. Returns 1 when the stored value changed, 0 otherwise.
local ttl = redis.call('PTTL', KEYS[1])
if ttl >= 0 then
  local now = redis.call('TIME')
  local expires = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000) + ttl
  -- PTTL is rounded to the millisecond: only a later expiry beyond that counts as newer.
  if expires > tonumber(ARGV[2]) + 1 then
    return 0
  end
end
local current = redis.call('GET', KEYS[1])
redis.call('SET', KEYS[1], ARGV[1], 'PXAT', ARGV[2])
if current == ARGV[1] then
  return 0
end
return 1
