-- The waiting room's draw: a seeded Fisher-Yates shuffle of the window's entrants (room.py).
--
-- KEYS[1] room   hash  closes (ms), window, drawn, seed
-- KEYS[2] joined list  user ids in arrival order (the window's entrants are its first `window`)
-- KEYS[3] order  list  written here: the window's user ids in admission order
-- KEYS[4] rank   hash  written here: user id -> position in `order` (1-based)
-- ARGV: 1 seed, 32 hex digits (128 bits; not all zero)
--
-- Returns {code, seed, window}: DRAWN (now, or before: then with the seed of that draw) |
-- NOT_YET (ms until the lottery window closes, in place of the seed) | NOT_WARM.
--
-- The generator is Marsaglia's xorshift128 on 32-bit words: x, y, z, w are the seed's four
-- 8-hex-digit groups in order, and each step is
--   t = x ^ (x << 11); x, y, z = y, z, w; w = w ^ (w >> 19) ^ t ^ (t >> 8)   (mod 2^32)
-- giving w. `below(n)` draws a uniform integer in [0, n) by rejection: values at or above
-- 2^32 - (2^32 mod n) are drawn again, then the value mod n is taken. The shuffle, with the
-- entrants in arrival order as a[1..n]: for i = n down to 2, j = below(i) + 1, swap a[i], a[j].
-- seckill/draw.py re-runs exactly this in Python (`flashmart seckill verify-draw`).

local now = redis.call('TIME')
local now_ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local room = redis.call('HMGET', KEYS[1], 'closes', 'window', 'drawn', 'seed')
if not room[1] then
  return {'NOT_WARM', '', 0}
end
if room[3] == '1' then
  return {'DRAWN', room[4], tonumber(room[2] or '0')}
end
if now_ms < tonumber(room[1]) then
  return {'NOT_YET', tostring(tonumber(room[1]) - now_ms), 0}
end

local seed = ARGV[1]
local s = {}
for i = 1, 4 do
  s[i] = tonumber(string.sub(seed, 8 * i - 7, 8 * i), 16)
end
local x, y, z, w = s[1], s[2], s[3], s[4]
local TWO32 = 4294967296
local function next32()
  local t = bit.bxor(x, bit.lshift(x, 11))
  x, y, z = y, z, w
  w = bit.bxor(bit.bxor(w, bit.rshift(w, 19)), bit.bxor(t, bit.rshift(t, 8)))
  local v = w
  if v < 0 then
    v = v + TWO32
  end
  return v
end
local function below(n)
  local limit = TWO32 - (TWO32 % n)
  local v = next32()
  while v >= limit do
    v = next32()
  end
  return v % n
end

local n = tonumber(room[2] or '0')
local order = {}
if n > 0 then
  order = redis.call('LRANGE', KEYS[2], 0, n - 1)
end
for i = n, 2, -1 do
  local j = below(i) + 1
  order[i], order[j] = order[j], order[i]
end
redis.call('DEL', KEYS[3], KEYS[4])
local CHUNK = 1000
for first = 1, n, CHUNK do
  local last = math.min(n, first + CHUNK - 1)
  local users, ranks = {}, {}
  for i = first, last do
    users[#users + 1] = order[i]
    ranks[#ranks + 1] = order[i]
    ranks[#ranks + 1] = i
  end
  redis.call('RPUSH', KEYS[3], unpack(users))
  redis.call('HSET', KEYS[4], unpack(ranks))
end
redis.call('HSET', KEYS[1], 'drawn', '1', 'seed', seed, 'late', '1', 'drawn_ms', now_ms)
return {'DRAWN', seed, n}
