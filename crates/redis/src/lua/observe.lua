-- An answer arrived: count its slot from now (HubSpot admitted the request by now, so no delay
-- on the way can make the window free it early), and share what its X-HubSpot-RateLimit-*
-- headers said (already clamped by the client).
-- KEYS: 1 general window (zset), 2 search window (zset), 3 learned window (hash), 4 sequence.
-- ARGV: 1 the slot's budget ("general" or "search"), 2 the slot's member (0: none),
--       3 learned maximum (0: not sent), 4 learned window (ms), 5 remaining (-1: not sent),
--       6 configured maximum, 7 configured window (ms), 8 search window (ms),
--       9 window margin (percent).
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local margin = tonumber(ARGV[9])

local learned_max = tonumber(ARGV[3])
if learned_max > 0 then
  redis.call('HSET', KEYS[3], 'max', learned_max, 'interval', ARGV[4])
  redis.call('EXPIRE', KEYS[3], 86400)
end
local learned = redis.call('HMGET', KEYS[3], 'max', 'interval')
local max = tonumber(learned[1]) or tonumber(ARGV[6])
local general_span = (tonumber(learned[2]) or tonumber(ARGV[7])) * (100 + margin) * 10

if ARGV[2] ~= '0' then
  local key, span = KEYS[1], general_span
  if ARGV[1] == 'search' then
    key, span = KEYS[2], tonumber(ARGV[8]) * (100 + margin) * 10
  end
  redis.call('ZADD', key, now, ARGV[2])
  redis.call('PEXPIRE', key, math.ceil(span / 1000) + 1000)
end

local remaining = tonumber(ARGV[5])
if remaining < 0 then
  return 0
end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - general_span)
-- HubSpot counted more than we did (a process that does not share this budget): count the
-- difference as sent now. Bounded: the maximum is clamped by the client.
local missing = max - redis.call('ZCARD', KEYS[1]) - remaining
for _ = 1, missing do
  redis.call('ZADD', KEYS[1], now, redis.call('INCR', KEYS[4]))
end
if missing > 0 then
  redis.call('PEXPIRE', KEYS[1], math.ceil(general_span / 1000) + 1000)
end
return missing
