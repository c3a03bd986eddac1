-- Mark a reservation persisted (its order exists in the database).
--
-- KEYS[1] ledger, KEYS[2] pending; ARGV: 1 ticket id, 2 new state ('persisted' | 'failed')
-- Returns 1 when the entry changed, 0 otherwise (unknown, or already settled).

local raw = redis.call('HGET', KEYS[1], ARGV[1])
redis.call('ZREM', KEYS[2], ARGV[1])
if not raw then
  return 0
end
local entry = cjson.decode(raw)
if entry.s ~= 'reserved' then
  return 0
end
entry.s = ARGV[2]
redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(entry))
return 1
