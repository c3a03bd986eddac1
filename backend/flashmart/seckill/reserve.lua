-- Reserve flash-sale units atomically: rate limit, window, sold-out flag, per-user limit,
-- stock, ledger entry and (optionally) the arq job that persists the order.
--
-- KEYS[1] meta     hash  starts, ends (ms), limit, soldout, verified ("1": verified emails only),
--                       room ("1": a WAITING_ROOM sale: only a shopper holding a grant buys)
-- KEYS[2] stock    string remaining units
-- KEYS[3] buyers   hash  user id -> units reserved
-- KEYS[4] ledger   hash  ticket id -> {u, q, t, s}
-- KEYS[5] pending  zset  ticket id -> reserved ms (not yet persisted)
-- KEYS[6] rl user  hash  token bucket of this shopper
-- KEYS[7] rl ip    hash  token bucket of this client address
-- KEYS[8] attempts hash  unix second -> attempts
-- KEYS[9] grants   zset  user id -> admission grant expiry ms (waiting room; room.py)
-- KEYS[10] used    hash  user id -> ticket id that used the grant (waiting room)
-- KEYS[11] queue   zset  arq queue            (only when ARGV[8] == "1")
-- KEYS[12] job     string arq job key          (only when ARGV[8] == "1")
--
-- ARGV: 1 user id, 2 quantity, 3 ticket id, 4 user rate/s, 5 user burst, 6 ip rate/s,
--       7 ip burst, 8 enqueue "1"/"0", 9 job function, 10 job ttl ms, 11 event id,
--       12 "1" when the shopper's access token says the email is verified, else "0"
--
-- Returns {code, number}: OK remaining | RATE_LIMITED retry-ms | NOT_WARM 0 |
-- NOT_STARTED ms-to-start | ENDED 0 | EMAIL_NOT_VERIFIED 0 | SOLD_OUT remaining |
-- ALREADY_PURCHASED 0 | LIMIT_EXCEEDED units-still-allowed | NOT_ADMITTED 0 (a waiting-room
-- sale and no valid grant: not admitted yet, the grant expired, or it was used)

local now = redis.call('TIME')
local now_ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local user = ARGV[1]
local qty = tonumber(ARGV[2])

local meta = redis.call('HMGET', KEYS[1], 'starts', 'ends', 'limit', 'soldout', 'verified', 'room')
if not meta[1] then
  -- Not loaded (or lost): the API answers NOT_STARTED. Write nothing, not even the attempt
  -- counter, so a shopper naming any sale id leaves no key behind.
  return {'NOT_WARM', 0}
end
redis.call('HINCRBY', KEYS[8], now[1], 1)
redis.call('EXPIRE', KEYS[8], 3600)

-- Token buckets: check both before taking from either.
local function bucket(key, rate, burst)
  local state = redis.call('HMGET', key, 'tokens', 'ts')
  local tokens = tonumber(state[1])
  local ts = tonumber(state[2])
  if tokens == nil then
    tokens = burst
    ts = now_ms
  end
  return math.min(burst, tokens + (now_ms - ts) * rate / 1000)
end
local user_rate, user_burst = tonumber(ARGV[4]), tonumber(ARGV[5])
local ip_rate, ip_burst = tonumber(ARGV[6]), tonumber(ARGV[7])
local user_tokens = bucket(KEYS[6], user_rate, user_burst)
local ip_tokens = bucket(KEYS[7], ip_rate, ip_burst)
if user_tokens < 1 or ip_tokens < 1 then
  local wait_user = user_tokens < 1 and (1 - user_tokens) * 1000 / user_rate or 0
  local wait_ip = ip_tokens < 1 and (1 - ip_tokens) * 1000 / ip_rate or 0
  return {'RATE_LIMITED', math.ceil(math.max(wait_user, wait_ip))}
end
redis.call('HSET', KEYS[6], 'tokens', user_tokens - 1, 'ts', now_ms)
redis.call('PEXPIRE', KEYS[6], math.ceil(user_burst * 1000 / user_rate) + 1000)
redis.call('HSET', KEYS[7], 'tokens', ip_tokens - 1, 'ts', now_ms)
redis.call('PEXPIRE', KEYS[7], math.ceil(ip_burst * 1000 / ip_rate) + 1000)

local starts, ends, limit = tonumber(meta[1]), tonumber(meta[2]), tonumber(meta[3])
if now_ms < starts then
  return {'NOT_STARTED', starts - now_ms}
end
if now_ms >= ends then
  return {'ENDED', 0}
end
if meta[5] == '1' and ARGV[12] ~= '1' then
  return {'EMAIL_NOT_VERIFIED', 0}
end
if meta[4] == '1' then
  return {'SOLD_OUT', 0}
end
local bought = tonumber(redis.call('HGET', KEYS[3], user) or '0')
if bought >= limit then
  return {'ALREADY_PURCHASED', 0}
end
if bought + qty > limit then
  return {'LIMIT_EXCEEDED', limit - bought}
end
-- A waiting-room sale: the shopper's grant must be valid now (FIRST_COME sales skip this on
-- the one field above). The grant is taken below, with the units.
local room = meta[6] == '1'
if room then
  local expires = redis.call('ZSCORE', KEYS[9], user)
  if not expires or tonumber(expires) <= now_ms then
    return {'NOT_ADMITTED', 0}
  end
end
local stock = tonumber(redis.call('GET', KEYS[2]) or '0')
if stock < qty then
  if stock <= 0 then
    redis.call('HSET', KEYS[1], 'soldout', '1')
  end
  return {'SOLD_OUT', stock}
end

stock = redis.call('DECRBY', KEYS[2], qty)
redis.call('HINCRBY', KEYS[3], user, qty)
redis.call('HSET', KEYS[4], ARGV[3], cjson.encode({u = tonumber(user), q = qty, t = now_ms, s = 'reserved'}))
redis.call('ZADD', KEYS[5], now_ms, ARGV[3])
if room then  -- single use: the grant goes with this reservation
  redis.call('ZREM', KEYS[9], user)
  redis.call('HSET', KEYS[10], user, ARGV[3])
end
if stock <= 0 then
  redis.call('HSET', KEYS[1], 'soldout', '1')
end
if ARGV[8] == '1' then
  -- With tracing on, the last argument is the reserve span's W3C traceparent ('00-...'): the
  -- job's keyword argument, so that the worker's span joins the shopper's trace.
  local traceparent = ARGV[#ARGV]
  if string.sub(traceparent, 1, 3) ~= '00-' then
    traceparent = nil
  end
  -- An arq job exactly as ArqRedis.enqueue_job writes it with FlashMart's JSON serializer.
  local job = cjson.encode({
    t = cjson.null, f = ARGV[9],
    a = {tonumber(ARGV[11]), ARGV[3], tonumber(user), qty, now_ms},
    k = traceparent and {traceparent = traceparent} or {}, et = now_ms,
  })
  redis.call('PSETEX', KEYS[12], tonumber(ARGV[10]), job)
  redis.call('ZADD', KEYS[11], now_ms, ARGV[3])
end
return {'OK', stock}
