-- Publishes one event: the next cluster-wide id, the topic's history, the fan-out message.
-- KEYS[1] sequence  KEYS[2] epoch  KEYS[3] topic stream  KEYS[4] topic meta
-- ARGV[1] epoch to use if none yet  ARGV[2] data  ARGV[3] type or ''  ARGV[4] retry or ''
-- ARGV[5] history size  ARGV[6] history max age (ms)  ARGV[7] channel  ARGV[8] origin
-- Returns {epoch, seq}.
local epoch = redis.call('GET', KEYS[2])
if not epoch then
  epoch = ARGV[1]
  redis.call('SET', KEYS[2], epoch)
end
local seq = redis.call('INCR', KEYS[1])
local now = redis.call('TIME')
local nowMs = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local size = tonumber(ARGV[5])
local maxAge = tonumber(ARGV[6])
local trimmed = 0
if size > 0 then
  redis.call('XADD', KEYS[3], seq .. '-0', 'd', ARGV[2], 't', ARGV[3], 'r', ARGV[4], 'ts', nowMs)
  while true do
    local first = redis.call('XRANGE', KEYS[3], '-', '+', 'COUNT', 1)[1]
    if not first then break end
    local tooMany = redis.call('XLEN', KEYS[3]) > size
    local tooOld = tonumber(first[2][8]) < nowMs - maxAge
    if not (tooMany or tooOld) then break end
    redis.call('XDEL', KEYS[3], first[1])
    trimmed = tonumber(string.match(first[1], '^(%d+)'))
  end
  redis.call('PEXPIRE', KEYS[3], maxAge)
else
  trimmed = seq
end
if trimmed > 0 then
  local before = tonumber(redis.call('HGET', KEYS[4], 'trimmed') or '0')
  if trimmed > before then
    redis.call('HSET', KEYS[4], 'trimmed', trimmed)
  end
end
redis.call('HSET', KEYS[4], 'last', seq)
redis.call('PEXPIRE', KEYS[4], maxAge * 2)
redis.call('PUBLISH', ARGV[7], ARGV[8] .. '\n' .. epoch .. '\n' .. seq .. '\n' .. ARGV[3] .. '\n' .. ARGV[4] .. '\n' .. ARGV[2])
return {epoch, seq}
