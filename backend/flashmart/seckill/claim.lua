-- Claim reservations for one persist transaction (a batch): the running job's own ticket plus
-- up to `batch size - 1` other reserved entries nobody holds, oldest first. A claim older than
-- the lifetime counts as abandoned (its worker died or stalled) and may be taken over; the
-- database's ticket primary key, not the claim, is what makes persisting exactly-once.
--
-- KEYS[1] ledger   hash  ticket id -> {u, q, t, s}
-- KEYS[2] pending  zset  ticket id -> reserved ms (not yet persisted)
-- KEYS[3] claims   hash  ticket id -> "claimed ms:token"
-- KEYS[4] queue    zset  arq queue (optional: when the sale's jobs share this Redis)
--
-- ARGV: 1 own ticket id ('' for the reconciler), 2 batch size, 3 claim lifetime ms,
--       4 claim token, 5 only entries reserved at or before this ms ('+inf': any),
--       6 how many pending entries to look at, at most
--
-- Returns {'MISSING'} (the own ticket has no ledger entry) | {'SETTLED'} (the own ticket is
-- persisted, failed or released) | {'HELD', ms until that claim lapses} |
-- {'CLAIMED', ticket id, entry json, ticket id, entry json, ...} (the own ticket first).
--
-- With the queue, the other claimed tickets' jobs are put off until the claim lapses (their
-- queue score, never earlier): while the batch is written nobody starts them to find their
-- ticket held, and after the commit the claimer drops them from the queue. Should the claimer
-- die, they run when the claim lapses and persist their tickets themselves.

local now = redis.call('TIME')
local now_ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local own, lifetime = ARGV[1], tonumber(ARGV[3])
local stamp = now_ms .. ':' .. ARGV[4]
local queue = KEYS[4]

local function held_for(claim) -- ms the claim still holds; 0 for none or a lapsed one
  if not claim then
    return 0
  end
  local left = tonumber(string.match(claim, '^(%d+)')) + lifetime - now_ms
  return left > 0 and left or 0
end

local out = {'CLAIMED'}
local wanted = tonumber(ARGV[2])
if own ~= '' then
  local raw = redis.call('HGET', KEYS[1], own)
  if not raw then
    return {'MISSING'}
  end
  if cjson.decode(raw).s ~= 'reserved' then
    return {'SETTLED'}
  end
  local left = held_for(redis.call('HGET', KEYS[3], own))
  if left > 0 then
    return {'HELD', left}
  end
  redis.call('HSET', KEYS[3], own, stamp)
  out[#out + 1] = own
  out[#out + 1] = raw
  wanted = wanted - 1
end

local limit = tonumber(ARGV[6])
local offset = 0
while wanted > 0 and offset < limit do
  local chunk = math.min(math.max(wanted * 2, 64), limit - offset)
  local ids = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', ARGV[5], 'LIMIT', offset, chunk)
  if #ids == 0 then
    break
  end
  offset = offset + #ids
  local claims = redis.call('HMGET', KEYS[3], unpack(ids))
  for i, id in ipairs(ids) do
    if id ~= own and held_for(claims[i]) == 0 then
      local raw = redis.call('HGET', KEYS[1], id)
      if raw and cjson.decode(raw).s == 'reserved' then
        redis.call('HSET', KEYS[3], id, stamp)
        if queue then
          redis.call('ZADD', queue, 'XX', 'GT', now_ms + lifetime, id)
        end
        out[#out + 1] = id
        out[#out + 1] = raw
        wanted = wanted - 1
        if wanted == 0 then
          break
        end
      else -- settled or unknown: nothing left to persist, only the pending entry to drop
        redis.call('ZREM', KEYS[2], id)
        redis.call('HDEL', KEYS[3], id)
      end
    end
  end
end
return out
