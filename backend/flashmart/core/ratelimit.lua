-- Token bucket, atomic per bucket. Loaded by flashmart/core/ratelimit.py.
--
-- KEYS[1]  the bucket: a hash {tokens, ts}
-- ARGV[1]  capacity: the most tokens the bucket holds (the burst)
-- ARGV[2]  refill rate in tokens per second
-- ARGV[3]  cost of this call; a negative cost gives tokens back (never above capacity)
--
-- Returns {allowed (1 or 0), tokens left, seconds until `cost` tokens are available}; the last
-- two as strings because Redis truncates Lua numbers to integers.
-- The clock is the server's (TIME), so every API process shares one time line.

local capacity = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])

local clock = redis.call('TIME')
local now = tonumber(clock[1]) + tonumber(clock[2]) / 1000000

local state = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(state[1])
local ts = tonumber(state[2])
if tokens == nil or ts == nil then
  tokens = capacity
  ts = now
end
tokens = math.min(capacity, tokens + math.max(0, now - ts) * rate)

local allowed = 0
local wait = 0
if tokens >= cost then
  tokens = math.min(capacity, tokens - cost)
  allowed = 1
else
  wait = (cost - tokens) / rate
end

redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', tostring(now))
-- A bucket left alone refills completely; after that it needs no key at all.
redis.call('PEXPIRE', KEYS[1], math.ceil(capacity / rate * 1000) + 1000)
return {allowed, tostring(tokens), tostring(wait)}
