-- Growing delays between attempts, atomic per key. Loaded by flashmart/core/ratelimit.py.
--
-- KEYS[1]  the record: a hash {n = attempts let through, ts = time of the latest one}
-- ARGV[1]  free attempts: this many (at least 1) go through without waiting
-- ARGV[2]  the first delay in seconds; it doubles with every attempt after it
-- ARGV[3]  the longest delay in seconds
-- ARGV[4]  milliseconds after the latest attempt until the record is forgotten
--
-- An attempt is let through when fewer than ARGV[1] were recorded, or when the delay that the
-- recorded ones earned has passed since the latest: min(ARGV[3], ARGV[2] * 2^(n - ARGV[1])).
-- A let-through attempt is recorded at once (so concurrent attempts never share one slot); a
-- refused one changes nothing. The caller deletes the record when an attempt turned out good.
--
-- Returns {allowed (1 or 0), attempts recorded, seconds until an attempt is allowed (0 when
-- this one was)}; the last as a string because Redis truncates Lua numbers to integers.
-- The clock is the server's (TIME), so every API process shares one time line.

local free = tonumber(ARGV[1])
local base = tonumber(ARGV[2])
local longest = tonumber(ARGV[3])

local clock = redis.call('TIME')
local now = tonumber(clock[1]) + tonumber(clock[2]) / 1000000

local state = redis.call('HMGET', KEYS[1], 'n', 'ts')
local n = tonumber(state[1]) or 0
local ts = tonumber(state[2]) or 0

local function delay(recorded)
  if recorded < free then
    return 0
  end
  return math.min(longest, base * 2 ^ (recorded - free))
end

local wait = ts + delay(n) - now
if wait > 0 then
  return {0, n, tostring(wait)}
end

n = n + 1
redis.call('HSET', KEYS[1], 'n', n, 'ts', tostring(now))
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return {1, n, '0'}
