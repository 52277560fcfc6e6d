-- Takes one slot of a portal's budget, atomically, on Redis's clock.
-- KEYS: 1 general window (zset), 2 search window (zset), 3 learned window (hash max, interval),
--       4 pauses (hash general, search, daily: until, in microseconds), 5 daily count (hash day,
--       count), 6 sequence (members of the windows must be unique).
-- ARGV: 1 budget ("general" or "search"), 2 configured maximum, 3 configured window (ms),
--       4 search per second, 5 search window (ms), 6 daily limit (0: none),
--       7 UTC offset of the portal's time zone (s), 8 window margin (percent).
-- Returns {0, member} when a slot was taken (the member names it in the window), {1, us} to try again in us microseconds, or
-- {2, us} when the daily budget is used up and resets in us microseconds.
local budget = ARGV[1]
local daily_limit = tonumber(ARGV[6])
local offset = tonumber(ARGV[7])

local t = redis.call('TIME')
local seconds = tonumber(t[1])
local now = seconds * 1000000 + tonumber(t[2])
local day = math.floor((seconds + offset) / 86400)

-- A 429 seen by any process pauses every process: the daily limit, or this budget's window.
local paused = redis.call('HMGET', KEYS[4], 'daily', budget)
local daily_until = tonumber(paused[1]) or 0
if daily_until > now then
  return {2, daily_until - now}
end
local budget_until = tonumber(paused[2]) or 0
if budget_until > now then
  return {1, budget_until - now}
end

if daily_limit > 0 then
  local d = redis.call('HMGET', KEYS[5], 'day', 'count')
  if tonumber(d[1]) == day and (tonumber(d[2]) or 0) >= daily_limit then
    return {2, ((day + 1) * 86400 - offset) * 1000000 - now}
  end
end

local key, max, window_ms
if budget == 'search' then
  key, max, window_ms = KEYS[2], tonumber(ARGV[4]), tonumber(ARGV[5])
else
  local learned = redis.call('HMGET', KEYS[3], 'max', 'interval')
  key = KEYS[1]
  max = tonumber(learned[1]) or tonumber(ARGV[2])
  window_ms = tonumber(learned[2]) or tonumber(ARGV[3])
end
local span = window_ms * (100 + tonumber(ARGV[8])) * 10

redis.call('ZREMRANGEBYSCORE', key, '-inf', now - span)
local n = redis.call('ZCARD', key)
if n >= max then
  -- Enough of the oldest must leave for one more to fit.
  local leaving = redis.call('ZRANGE', key, n - max, n - max, 'WITHSCORES')
  return {1, math.max(1000, math.ceil(tonumber(leaving[2]) + span - now))}
end
local member = redis.call('INCR', KEYS[6])
redis.call('ZADD', key, now, member)
redis.call('PEXPIRE', key, math.ceil(span / 1000) + 1000)

if daily_limit > 0 then
  if tonumber(redis.call('HGET', KEYS[5], 'day')) ~= day then
    redis.call('HSET', KEYS[5], 'day', day, 'count', 0)
  end
  redis.call('HINCRBY', KEYS[5], 'count', 1)
  redis.call('EXPIRE', KEYS[5], 3 * 86400)
end
return {0, member}
