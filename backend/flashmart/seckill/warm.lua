-- Load an event into Redis unless it is already there (warming twice never resets stock).
--
-- KEYS[1] meta, KEYS[2] stock, KEYS[3] buyers
-- ARGV: 1 starts ms, 2 ends ms, 3 per-user limit, 4 remaining units, 5 total,
--       then pairs of (user id, units held) rebuilt from the database
-- Returns 1 when loaded now, 0 when it was warm (only window and limit are refreshed).

if redis.call('EXISTS', KEYS[1]) == 1 then
  redis.call('HSET', KEYS[1], 'starts', ARGV[1], 'ends', ARGV[2], 'limit', ARGV[3])
  return 0
end
local remaining = tonumber(ARGV[4])
redis.call('SET', KEYS[2], remaining)
redis.call('DEL', KEYS[3])
for i = 6, #ARGV, 2 do
  redis.call('HSET', KEYS[3], ARGV[i], ARGV[i + 1])
end
redis.call('HSET', KEYS[1], 'starts', ARGV[1], 'ends', ARGV[2], 'limit', ARGV[3],
  'total', ARGV[5], 'soldout', remaining <= 0 and '1' or '0')
return 1
