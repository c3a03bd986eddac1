-- Take (or keep) one of a user's subscription-socket slots. Loaded by flashmart/graphql/ws_limits.py.
--
-- KEYS[1]  sorted set: connection id -> last heartbeat, in ms of Redis's clock
-- ARGV[1]  this connection's id
-- ARGV[2]  the most sockets one user may hold across every API process
-- ARGV[3]  ms after its last heartbeat that an entry counts as dead (its process is gone)
--
-- Returns 1 when the connection holds a slot (newly or still), 0 when the user is at the limit.
-- Dead entries are dropped first, so a process that died without releasing its sockets frees
-- them within ARGV[3] ms; the key itself expires when no socket beats any more.
-- The clock is the server's (TIME), so every API process shares one time line.

local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
local stale_after = tonumber(ARGV[3])

redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - stale_after)
if not redis.call('ZSCORE', KEYS[1], ARGV[1]) then
  if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then
    return 0
  end
end
redis.call('ZADD', KEYS[1], now, ARGV[1])
redis.call('PEXPIRE', KEYS[1], stale_after)
return 1
