-- What Redis knows of one topic, for every node.
-- KEYS[1] epoch  KEYS[2] topic stream  KEYS[3] topic meta
-- Returns {epoch or '', last seq published (0 if unknown), events retained}
local last = tonumber(redis.call('HGET', KEYS[3], 'last') or '0')
return {redis.call('GET', KEYS[1]) or '', last, redis.call('XLEN', KEYS[2])}
