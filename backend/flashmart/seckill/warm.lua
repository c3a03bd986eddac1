-- Load a sale into Redis unless it is already there (warming twice never resets stock).
--
-- KEYS[1] meta, KEYS[2] stock, KEYS[3] buyers, KEYS[4] ledger, KEYS[5] pending
-- ARGV: 1 starts ms, 2 ends ms, 3 per-user limit, 4 total units,
--       5 "refresh" (only refresh a warm sale; load nothing) | "load",
--       6 "1" when only shoppers with a verified email may buy, else "0",
--       7 "1" for a WAITING_ROOM sale (reserve.lua then asks for a grant), else "0",
--       8 how many live tickets follow,
--       then per live ticket (SUCCEEDED, its order holds the units): ticket id, user id, units;
--       then per dead ticket (FAILED, or its order gave the units back): ticket id, user id,
--       units, reserved ms.
-- Both ticket lists come from ONE database read (a consistent snapshot).
-- Returns {0} when the sale was warm (only window, limit and the verified-only and room flags
-- are refreshed), {-1} for
-- "refresh" on a cold sale, {1, remaining, units in flight} when loaded now.
--
-- Loading after a partial loss (the meta key expired or vanished while the ledger stayed):
-- a reservation the database has not written yet still holds its units. The units held are
-- the live tickets of the snapshot plus every ledger entry the snapshot does not know whose
-- state is 'reserved' or 'persisted' (persisted after the snapshot was read); a ledger entry
-- the snapshot knows is counted once, from the database, whatever its state says. Dead tickets
-- are marked 'released' in the ledger so a release repeated later (the reconciler, a FAILED
-- ticket's settle) finds them released and does not give their units back a second time.

if redis.call('EXISTS', KEYS[1]) == 1 then
  redis.call('HSET', KEYS[1], 'starts', ARGV[1], 'ends', ARGV[2], 'limit', ARGV[3],
    'verified', ARGV[6], 'room', ARGV[7])
  return {0}
end
if ARGV[5] == 'refresh' then
  return {-1}
end

local known, held = {}, {}
local sold, in_flight = 0, 0
local live_end = 8 + 3 * tonumber(ARGV[8])
for i = 9, live_end, 3 do
  local user, units = ARGV[i + 1], tonumber(ARGV[i + 2])
  known[ARGV[i]] = true
  held[user] = (held[user] or 0) + units
  sold = sold + units
end
for i = live_end + 1, #ARGV, 4 do
  local ticket = ARGV[i]
  known[ticket] = true
  redis.call('HSET', KEYS[4], ticket, cjson.encode({
    u = tonumber(ARGV[i + 1]), q = tonumber(ARGV[i + 2]), t = tonumber(ARGV[i + 3]),
    s = 'released',
  }))
  redis.call('ZREM', KEYS[5], ticket)
end

local ledger = redis.call('HGETALL', KEYS[4])
for i = 1, #ledger, 2 do
  if not known[ledger[i]] then
    local entry = cjson.decode(ledger[i + 1])
    if entry.s == 'reserved' or entry.s == 'persisted' then
      local user = tostring(entry.u)
      held[user] = (held[user] or 0) + entry.q
      in_flight = in_flight + entry.q
    end
  end
end

local remaining = tonumber(ARGV[4]) - sold - in_flight
redis.call('SET', KEYS[2], remaining)
redis.call('DEL', KEYS[3])
for user, units in pairs(held) do
  if units > 0 then
    redis.call('HSET', KEYS[3], user, units)
  end
end
redis.call('HSET', KEYS[1], 'starts', ARGV[1], 'ends', ARGV[2], 'limit', ARGV[3],
  'total', ARGV[4], 'soldout', remaining <= 0 and '1' or '0', 'verified', ARGV[6],
  'room', ARGV[7])
return {1, remaining, in_flight}
