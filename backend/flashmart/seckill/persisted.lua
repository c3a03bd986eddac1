-- Settle reservations: persisted (the order exists in the database) or failed (the ticket is
-- FAILED and its units went back on sale). Drops each from the pending set and its claim.
--
-- KEYS[1] ledger, KEYS[2] pending, KEYS[3] claims
-- ARGV: pairs of (ticket id, new state 'persisted' | 'failed')
-- Returns how many entries changed (an unknown or already settled entry changes nothing).

local changed = 0
for i = 1, #ARGV, 2 do
  local ticket = ARGV[i]
  redis.call('ZREM', KEYS[2], ticket)
  redis.call('HDEL', KEYS[3], ticket)
  local raw = redis.call('HGET', KEYS[1], ticket)
  if raw then
    local entry = cjson.decode(raw)
    if entry.s == 'reserved' then
      entry.s = ARGV[i + 1]
      redis.call('HSET', KEYS[1], ticket, cjson.encode(entry))
      changed = changed + 1
    end
  end
end
return changed
