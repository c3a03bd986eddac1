-- Put a reservation's units back on sale, exactly once per ticket.
--
-- KEYS[1] meta, KEYS[2] stock, KEYS[3] buyers, KEYS[4] ledger, KEYS[5] pending
-- ARGV: 1 ticket id, 2 user id, 3 quantity
-- Returns 1 when released now, 0 when it already was, -1 when the event is not warm
-- (the database is then the only truth and warm-up rebuilds Redis from it).

if redis.call('EXISTS', KEYS[1]) == 0 then
  return -1
end
local raw = redis.call('HGET', KEYS[4], ARGV[1])
local entry
if raw then
  entry = cjson.decode(raw)
  if entry.s == 'released' then
    return 0
  end
else
  local now = redis.call('TIME')
  entry = {u = tonumber(ARGV[2]), q = tonumber(ARGV[3]), t = tonumber(now[1]) * 1000}
end
entry.s = 'released'
redis.call('HSET', KEYS[4], ARGV[1], cjson.encode(entry))
redis.call('ZREM', KEYS[5], ARGV[1])
redis.call('INCRBY', KEYS[2], entry.q)
local left = redis.call('HINCRBY', KEYS[3], tostring(entry.u), -entry.q)
if left <= 0 then
  redis.call('HDEL', KEYS[3], tostring(entry.u))
end
redis.call('HSET', KEYS[1], 'soldout', '0')
return 1
