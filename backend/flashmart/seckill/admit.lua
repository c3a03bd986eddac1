-- Admit the next entrants of a drawn waiting room (room.py; the worker runs it every second).
--
-- KEYS[1] meta     hash  ends (ms)
-- KEYS[2] stock    string units left
-- KEYS[3] room     hash  drawn, window, seq, cursor (positions admitted so far), ttl (ms), factor
-- KEYS[4] joined   list  user ids in arrival order
-- KEYS[5] order    list  the draw (positions 1..window)
-- KEYS[6] grants   zset  user id -> grant expiry ms
-- KEYS[7] admitted list  user ids in admission order
-- KEYS[8] missed   set   user ids whose grant expired unused
-- ARGV: 1 most entrants to admit in this call
--
-- Position p is the draw's p-th entry for p <= window, else arrival p (later joiners queue in
-- arrival order). Expired grants are dropped (their holders MISSED their turn) and the next
-- positions are admitted until the grants outstanding reach units left x factor.
-- Returns {admitted now, expired now, grants outstanding, cursor}.

local now = redis.call('TIME')
local now_ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local room = redis.call('HMGET', KEYS[3], 'drawn', 'window', 'seq', 'cursor', 'ttl', 'factor')
if room[1] ~= '1' then
  return {0, 0, 0, 0}
end
local expired = redis.call('ZRANGEBYSCORE', KEYS[6], '-inf', now_ms)
local CHUNK = 1000
for first = 1, #expired, CHUNK do
  local part = {unpack(expired, first, math.min(#expired, first + CHUNK - 1))}
  redis.call('ZREM', KEYS[6], unpack(part))
  redis.call('SADD', KEYS[8], unpack(part))
end
local outstanding = redis.call('ZCARD', KEYS[6])
local window, seq = tonumber(room[2] or '0'), tonumber(room[3] or '0')
local cursor = tonumber(room[4] or '0')
local ends = tonumber(redis.call('HGET', KEYS[1], 'ends') or '0')
local stock = math.max(0, tonumber(redis.call('GET', KEYS[2]) or '0'))
local want = stock * tonumber(room[6]) - outstanding
want = math.min(want, tonumber(ARGV[1]), seq - cursor)
if want <= 0 or now_ms >= ends then
  return {0, #expired, outstanding, cursor}
end
local users = {}
local last = cursor + want
if cursor < window then
  users = redis.call('LRANGE', KEYS[5], cursor, math.min(window, last) - 1)
end
if last > window then
  local later = redis.call('LRANGE', KEYS[4], math.max(cursor, window), last - 1)
  for _, user in ipairs(later) do
    users[#users + 1] = user
  end
end
local expires = now_ms + tonumber(room[5])
for first = 1, #users, CHUNK do
  local part, scored = {}, {}
  for i = first, math.min(#users, first + CHUNK - 1) do
    part[#part + 1] = users[i]
    scored[#scored + 1] = expires
    scored[#scored + 1] = users[i]
  end
  redis.call('ZADD', KEYS[6], unpack(scored))
  redis.call('RPUSH', KEYS[7], unpack(part))
end
redis.call('HSET', KEYS[3], 'cursor', last)
return {#users, #expired, outstanding + #users, last}
