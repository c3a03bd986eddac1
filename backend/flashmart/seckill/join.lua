-- Join a sale's waiting room: one entry per user, within the join window (room.py).
--
-- KEYS[1] meta     hash  room ("1": WAITING_ROOM), ends (ms), soldout, verified
-- KEYS[2] room     hash  opens, closes (ms), seq, window, late, drawn
-- KEYS[3] arrivals hash  user id -> arrival number
-- KEYS[4] joined   list  user ids in arrival order
-- ARGV: 1 user id, 2 "1" when the shopper's access token says the email is verified
--
-- Returns {code, arrival, joined now (1) or before (0)}: JOINED | NOT_WARM | NOT_WAITING_ROOM |
-- EMAIL_NOT_VERIFIED | NOT_IN_JOIN_WINDOW | SOLD_OUT.
--
-- The window's entrants (joined before `closes`, the end of the lottery window) are always
-- arrivals 1..window: the first join at or after `closes` sets `late`, and no later join counts
-- in the window even if the clock stepped back. The draw (draw.lua) shuffles exactly them.

local now = redis.call('TIME')
local now_ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local user = ARGV[1]

local meta = redis.call('HMGET', KEYS[1], 'room', 'ends', 'soldout', 'verified')
if not meta[2] then
  return {'NOT_WARM', 0, 0}
end
if meta[1] ~= '1' then
  return {'NOT_WAITING_ROOM', 0, 0}
end
local known = redis.call('HGET', KEYS[3], user)
if known then
  return {'JOINED', tonumber(known), 0}
end
if meta[4] == '1' and ARGV[2] ~= '1' then
  return {'EMAIL_NOT_VERIFIED', 0, 0}
end
local room = redis.call('HMGET', KEYS[2], 'opens', 'closes', 'late', 'drawn')
if not room[2] then
  return {'NOT_WARM', 0, 0}
end
if now_ms < tonumber(room[1] or '0') or now_ms >= tonumber(meta[2]) then
  return {'NOT_IN_JOIN_WINDOW', 0, 0}
end
if meta[3] == '1' then
  return {'SOLD_OUT', 0, 0}
end
local seq = redis.call('HINCRBY', KEYS[2], 'seq', 1)
redis.call('HSET', KEYS[3], user, seq)
redis.call('RPUSH', KEYS[4], user)
if room[3] ~= '1' and room[4] ~= '1' and now_ms < tonumber(room[2]) then
  redis.call('HINCRBY', KEYS[2], 'window', 1)
else
  redis.call('HSET', KEYS[2], 'late', '1')
end
return {'JOINED', seq, 1}
