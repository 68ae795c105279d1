-- Reads one page of every topic's events after a position, through the cross-topic index: what a
-- subscriber of topic selectors (URI templates, '*') may have missed.
-- KEYS[1] sequence  KEYS[2] epoch  KEYS[3] the index  KEYS[4] its meta
-- ARGV[1] history max age (ms)  ARGV[2] most entries  ARGV[3] most bytes in the page
-- ARGV[4] read entries with a seq above this, or -1 to read none  ARGV[5] and at most this, or -1
-- for no bound
-- Returns {epoch or '', current seq, trimmed seq, entries, more (0/1), the last seq examined or -1} where entries are
-- {stream key, {id, {field, value, ...}}} as resume.lua's. The index holds an event only while
-- every topic of it holds it (publish.lua forgets both together), so each pointer finds its entry;
-- the index's trimmed mark is the highest seq forgotten anywhere.
local epoch = redis.call('GET', KEYS[2]) or ''
local seq = tonumber(redis.call('GET', KEYS[1]) or '0')
local cutoff = nowMillis() - tonumber(ARGV[1])
local budget = tonumber(ARGV[3])
local trimmed = tonumber(redis.call('HGET', KEYS[4], 'trimmed') or '0')
local spent, kept, more, through = 0, {}, 0, -1
local pointers = {}
if tonumber(ARGV[4]) >= 0 then
  local upper = tonumber(ARGV[5]) >= 0 and (ARGV[5] .. '-0') or '+'
  pointers = redis.call('XRANGE', KEYS[3], '(' .. ARGV[4] .. '-0', upper, 'COUNT', tonumber(ARGV[2]))
end
if #pointers == tonumber(ARGV[2]) then more = 1 end
for _, pointer in ipairs(pointers) do
  if #kept > 0 and spent >= budget then
    more = 1
    break
  end
  through = seqOf(pointer[1])
  local streamKey = field(pointer, 'k')
  local entry = redis.call('XRANGE', streamKey, pointer[1], pointer[1])[1]
  if not entry or tonumber(field(entry, 'ts')) < cutoff then
    trimmed = math.max(trimmed, seqOf(pointer[1]))
  else
    table.insert(kept, {streamKey, entry})
    spent = spent + tonumber(field(entry, 'b') or '0')
  end
end
return {epoch, seq, trimmed, kept, more, through}
