-- Reads what a resuming subscriber missed, for each of its topics.
-- KEYS[1] sequence  KEYS[2] epoch  then per topic: stream, meta
-- ARGV[1] replay events with a seq above this  ARGV[2] history max age (ms)  ARGV[3] most events per topic
-- Returns {epoch or '', current seq, then per topic: meta exists (0/1), trimmed seq, entries}
-- where entries are {id, {'d', data, 't', type, 'r', retry, 'ts', ms}}; entries past the age
-- limit count as trimmed.
local epoch = redis.call('GET', KEYS[2]) or ''
local seq = tonumber(redis.call('GET', KEYS[1]) or '0')
local now = redis.call('TIME')
local cutoff = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000) - tonumber(ARGV[2])
local out = {epoch, seq}
for i = 3, #KEYS, 2 do
  local exists = redis.call('EXISTS', KEYS[i + 1])
  local trimmed = tonumber(redis.call('HGET', KEYS[i + 1], 'trimmed') or '0')
  if redis.call('EXISTS', KEYS[i]) == 0 then
    -- the whole stream aged out: every event the topic had is gone
    trimmed = math.max(trimmed, tonumber(redis.call('HGET', KEYS[i + 1], 'last') or '0'))
  end
  local entries = redis.call('XRANGE', KEYS[i], '(' .. ARGV[1] .. '-0', '+', 'COUNT', tonumber(ARGV[3]))
  local kept = {}
  for _, entry in ipairs(entries) do
    if tonumber(entry[2][8]) < cutoff then
      trimmed = math.max(trimmed, tonumber(string.match(entry[1], '^(%d+)')))
    else
      table.insert(kept, entry)
    end
  end
  table.insert(out, exists)
  table.insert(out, trimmed)
  table.insert(out, kept)
end
return out
