-- Starts a new epoch after Redis lost events it had acknowledged (a failover to a replica that
-- lagged, a restore from an older snapshot): the sequence went back, so ids would repeat under the
-- old epoch. Forgets all history, which belonged to the old one. Another node may have done it
-- already: then nothing changes.
-- The sequence moves up past the highest seq seen and to the time in microseconds, as a new
-- epoch's does in publish.lua, so ids never go backwards and history marks stay below new ones.
-- KEYS[1] epoch  KEYS[2] retained bytes  KEYS[3] retention order  KEYS[4] sequence  KEYS[5] the
-- cross-topic index  KEYS[6] its meta  KEYS[7] publishers' ids
-- ARGV[1] the epoch seen with the higher seq  ARGV[2] the new epoch  ARGV[3] that higher seq
-- Returns the epoch now in force.
if redis.call('GET', KEYS[1]) ~= ARGV[1] then
  return redis.call('GET', KEYS[1]) or ''
end
for _, stream in ipairs(redis.call('ZRANGE', KEYS[3], 0, -1)) do
  local last = redis.call('XREVRANGE', stream, '+', '-', 'COUNT', 1)[1]
  local meta = (string.gsub(stream, ':s:', ':m:', 1))
  if last then
    redis.call('HSET', meta, 'trimmed', seqOf(last[1]))
  end
  redis.call('DEL', stream)
end
redis.call('DEL', KEYS[2], KEYS[3], KEYS[5], KEYS[7])
redis.call('HSET', KEYS[6], 'trimmed', ARGV[3])
redis.call('SET', KEYS[1], ARGV[2])
local now = redis.call('TIME')
local start = math.max(tonumber(ARGV[3]), tonumber(now[1]) * 1000000 + tonumber(now[2]))
if tonumber(redis.call('GET', KEYS[4]) or '0') < start then
  redis.call('SET', KEYS[4], str(start))
end
return ARGV[2]
