-- A 429 pauses every process of the portal: one budget for a while, or everything until the
-- daily reset (midnight in the portal's time zone).
-- KEYS: 1 pauses (hash).
-- ARGV: 1 what ("general", "search" or "daily"), 2 for how long (us; ignored for "daily"),
--       3 UTC offset of the portal's time zone (s).
local t = redis.call('TIME')
local seconds = tonumber(t[1])
local now = seconds * 1000000 + tonumber(t[2])
local offset = tonumber(ARGV[3])
local untill
if ARGV[1] == 'daily' then
  untill = (math.floor((seconds + offset) / 86400) + 1) * 86400 - offset
  untill = untill * 1000000
else
  untill = now + tonumber(ARGV[2])
end
local current = tonumber(redis.call('HGET', KEYS[1], ARGV[1])) or 0
if untill > current then
  redis.call('HSET', KEYS[1], ARGV[1], string.format('%.0f', untill))
end
redis.call('EXPIRE', KEYS[1], 2 * 86400)
return 0
