-- Reads one page of what was published on some topics after a position, merged in seq order.
-- KEYS[1] sequence  KEYS[2] epoch  then per topic: stream, meta
-- ARGV[1] history max age (ms)  ARGV[2] most entries in the page  ARGV[3] most bytes in the page
-- ARGV[4] read entries with a seq above this, or -1 to read none  ARGV[5] and at most this, or -1
-- for no bound
-- Returns {epoch or '', current seq, {per topic: meta exists (0/1), trimmed seq}, entries, more
-- (0/1), the last seq examined or -1} where entries are {topic's number from 1, {id, {field,
-- value, ...}}} in seq order, an event of several of the topics once, with fields d (data),
-- t (type), r (retry), ts (ms), b (bytes). Entries past the age limit count as trimmed. The page
-- stops at the entry or byte limit (but holds at least one entry); the next one starts after the
-- last seq examined. Each topic is read a few entries at a time, so a page of many topics costs
-- Redis little more than what it returns.
local epoch = redis.call('GET', KEYS[2]) or ''
local seq = tonumber(redis.call('GET', KEYS[1]) or '0')
local cutoff = nowMillis() - tonumber(ARGV[1])
local most = tonumber(ARGV[2])
local budget = tonumber(ARGV[3])
local upper = tonumber(ARGV[5]) >= 0 and (ARGV[5] .. '-0') or '+'
local chunk = 8

local marks, streams, trimmed = {}, {}, {}
for i = 3, #KEYS, 2 do
  local t = (i - 1) / 2
  streams[t] = KEYS[i]
  trimmed[t] = tonumber(redis.call('HGET', KEYS[i + 1], 'trimmed') or '0')
  if redis.call('EXISTS', KEYS[i]) == 0 then
    -- the whole stream is gone: every event the topic had is
    trimmed[t] = math.max(trimmed[t], tonumber(redis.call('HGET', KEYS[i + 1], 'last') or '0'))
  end
  marks[t] = redis.call('EXISTS', KEYS[i + 1])
end

-- per topic: the entries read ahead, the next to take, whether the stream has no more
local ahead, at, done = {}, {}, {}
for t = 1, #streams do
  ahead[t], at[t], done[t] = {}, 1, tonumber(ARGV[4]) < 0
end
local function head(t)
  if at[t] > #ahead[t] then
    if done[t] then return nil end
    local from = #ahead[t] > 0 and ahead[t][#ahead[t]][1] or (ARGV[4] .. '-0')
    ahead[t] = redis.call('XRANGE', streams[t], '(' .. from, upper, 'COUNT', chunk)
    at[t] = 1
    done[t] = #ahead[t] < chunk
    if #ahead[t] == 0 then return nil end
  end
  return ahead[t][at[t]]
end

local kept, examined, spent, more, through = {}, 0, 0, 0, -1
while true do
  local pick, pickSeq = nil, nil
  for t = 1, #streams do
    local entry = head(t)
    if entry then
      local s = seqOf(entry[1])
      if not pickSeq or s < pickSeq then pick, pickSeq = t, s end
    end
  end
  if not pick then break end
  if pickSeq ~= through and examined > 0 and (examined >= most or spent >= budget) then
    more = 1
    break
  end
  local entry = head(pick)
  at[pick] = at[pick] + 1
  if tonumber(field(entry, 'ts')) < cutoff then
    trimmed[pick] = math.max(trimmed[pick], pickSeq)
  elseif pickSeq ~= through then
    table.insert(kept, {pick, entry})
    spent = spent + tonumber(field(entry, 'b') or '0')
  end
  if pickSeq ~= through then examined = examined + 1 end
  through = pickSeq
end

local topics = {}
for t = 1, #streams do
  table.insert(topics, marks[t])
  table.insert(topics, trimmed[t])
end
return {epoch, seq, topics, kept, more, through}
