-- Reads one page of what was published on some topics after a position per topic.
-- KEYS[1] sequence  KEYS[2] epoch  then per topic: stream, meta
-- ARGV[1] history max age (ms)  ARGV[2] most entries per topic  ARGV[3] most bytes in the page
-- then per topic: read entries with a seq above this, or -1 to skip the topic
-- Returns {epoch or '', current seq, then per topic: meta exists (0/1), trimmed seq, entries,
-- more (0/1)} where entries are {id, {field, value, ...}} with fields d (data), t (type),
-- r (retry), ts (ms), b (bytes). Entries past the age limit count as trimmed. The page stops at
-- the byte limit (but holds at least one entry); a topic with more to read says so.
local epoch = redis.call('GET', KEYS[2]) or ''
local seq = tonumber(redis.call('GET', KEYS[1]) or '0')
local cutoff = nowMillis() - tonumber(ARGV[1])
local perTopic = tonumber(ARGV[2])
local budget = tonumber(ARGV[3])
local spent, taken = 0, 0
local out = {epoch, seq}

for i = 3, #KEYS, 2 do
  local after = tonumber(ARGV[4 + (i - 3) / 2])
  local exists = redis.call('EXISTS', KEYS[i + 1])
  local trimmed = tonumber(redis.call('HGET', KEYS[i + 1], 'trimmed') or '0')
  if redis.call('EXISTS', KEYS[i]) == 0 then
    -- the whole stream is gone: every event the topic had is
    trimmed = math.max(trimmed, tonumber(redis.call('HGET', KEYS[i + 1], 'last') or '0'))
  end
  local kept, more = {}, 0
  if after >= 0 then
    if taken > 0 and spent >= budget then
      more = 1
    else
      local entries = redis.call('XRANGE', KEYS[i], '(' .. ARGV[4 + (i - 3) / 2] .. '-0', '+', 'COUNT', perTopic)
      if #entries == perTopic then more = 1 end
      for n, entry in ipairs(entries) do
        if taken > 0 and spent >= budget then
          more = 1
          break
        end
        if tonumber(field(entry, 'ts')) < cutoff then
          trimmed = math.max(trimmed, seqOf(entry[1]))
        else
          table.insert(kept, entry)
          spent = spent + tonumber(field(entry, 'b') or '0')
          taken = taken + 1
        end
      end
    end
  end
  table.insert(out, exists)
  table.insert(out, trimmed)
  table.insert(out, kept)
  table.insert(out, more)
end
return out
