-- Publishes a batch of events, all or none: the next cluster-wide ids, the topics' histories
-- within their limits, the cross-topic index, the fan-out messages; remembers the answer under the
-- idempotency key.
-- KEYS[1] sequence  KEYS[2] epoch  KEYS[3] retained bytes  KEYS[4] retention order (zset of
-- topic streams by the seq of their oldest entry)  KEYS[5] idempotency key (the publisher's, else
-- one of this attempt's own)  KEYS[6] this attempt's fence  KEYS[7] the index (a stream of every
-- retained event's seq, pointing at its first topic's stream)  KEYS[8] the index's meta
-- KEYS[9] publishers' ids (a hash: id -> '<epoch> <seq> <its canonical topic's stream>', while
-- that stream holds the event)
-- then per event, per topic of it (its canonical topic first, each topic once): stream, meta
-- ARGV[1] epoch to use if none yet  ARGV[2] run no later than this Redis time (ms)
-- ARGV[3] request fingerprint  ARGV[4] idempotency key ttl (ms)  ARGV[5] history size per topic
-- ARGV[6] history max age (ms)  ARGV[7] history max bytes  ARGV[8] most topics with history
-- ARGV[9] the channel prefix (a topic's channel is the prefix and the topic; the prefix alone is
-- the channel of every event)
-- then per event: data, type or '', retry or '', token, '1' if private else '', the publisher's
-- id or '', n (its topics), then its n topics
-- An event's entry (in each of its topics' streams): d data, t type, r retry, ts (ms), b bytes,
-- p '1' when private, a its topics joined by line breaks when it has more than one, c the
-- publisher's id when it has one.
-- Its channel message: token, epoch, seq, type, retry, private, publisher's id, n, the n topics,
-- data, joined by line breaks; sent on each of its topics' channels and on the prefix's, with the
-- command PUBLISH names (SPUBLISH on a Redis Cluster, where the channels are in the keys' slot).
-- Returns {'ok', epoch, seq...} | {'repeat', epoch, seq...} | {'conflict'} | {'fenced'} | {'late'} | {'full'}
-- | {'reserved'} (a publisher's id of the hub's form, '<epoch>-<n>' of this epoch, or 'earliest')
-- | {'duplicate'} (a publisher's id a retained event has, or two events of the batch)
local now = redis.call('TIME')
local nowMs = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
if redis.call('EXISTS', KEYS[6]) == 1 then return {'fenced'} end
local remembered = redis.call('GET', KEYS[5])
if remembered then
  local fingerprint, rest = string.match(remembered, '^(%x+) (.*)$')
  if fingerprint ~= ARGV[3] then return {'conflict'} end
  local out = {'repeat'}
  for word in string.gmatch(rest, '%S+') do table.insert(out, word) end
  return out
end
if nowMs > tonumber(ARGV[2]) then return {'late'} end

local size = tonumber(ARGV[5])
local maxAge = tonumber(ARGV[6])
local maxBytes = tonumber(ARGV[7])
local maxTopics = tonumber(ARGV[8])

-- every topic the batch would add must fit, before anything is written
if size > 0 then
  local added, seen = 0, {}
  for k = 10, #KEYS, 2 do
    local key = KEYS[k]
    if not seen[key] and not redis.call('ZSCORE', KEYS[4], key) then added = added + 1 end
    seen[key] = true
  end
  if added > 0 and redis.call('ZCARD', KEYS[4]) + added > maxTopics then return {'full'} end
end

-- publishers' ids are unique among retained events, and never take the form of the hub's own
do
  local epochNow = redis.call('GET', KEYS[2]) or ARGV[1]
  local seen = {}
  local at = 10
  while at <= #ARGV do
    local id = ARGV[at + 5]
    if id ~= '' then
      local hubEpoch, digits = string.match(id, '^(.+)-(%d+)$')
      if id == 'earliest' or (hubEpoch == epochNow and #digits <= 18) then return {'reserved'} end
      if seen[id] or (size > 0 and redis.call('HEXISTS', KEYS[9], id) == 1) then return {'duplicate'} end
      seen[id] = true
    end
    at = at + 7 + tonumber(ARGV[at + 6])
  end
end

local function metaOf(streamKey)
  return (string.gsub(streamKey, ':s:', ':m:', 1))
end

-- forgets the oldest entry of one topic, keeping the byte count, the order and the trimmed mark
local function forgetOldest(streamKey)
  local first = redis.call('XRANGE', streamKey, '-', '+', 'COUNT', 1)[1]
  if first then
    redis.call('XDEL', streamKey, first[1])
    redis.call('DECRBY', KEYS[3], tonumber(field(first, 'b') or '0'))
    -- a publisher's id is free again once its canonical topic forgets the event
    local id = field(first, 'c')
    if id then
      local held = redis.call('HGET', KEYS[9], id)
      if held and string.match(held, '^%S+ (%d+) ') == str(seqOf(first[1])) and string.match(held, '^%S+ %d+ (.*)$') == streamKey then
        redis.call('HDEL', KEYS[9], id)
      end
    end
    -- the index keeps only events every topic of which still holds
    redis.call('XDEL', KEYS[7], first[1])
    if seqOf(first[1]) > tonumber(redis.call('HGET', KEYS[8], 'trimmed') or '0') then
      redis.call('HSET', KEYS[8], 'trimmed', seqOf(first[1]))
    end
    local meta = metaOf(streamKey)
    if seqOf(first[1]) > tonumber(redis.call('HGET', meta, 'trimmed') or '0') then
      redis.call('HSET', meta, 'trimmed', seqOf(first[1]))
    end
  end
  local next = redis.call('XRANGE', streamKey, '-', '+', 'COUNT', 1)[1]
  if next then
    redis.call('ZADD', KEYS[4], seqOf(next[1]), streamKey)
  else
    redis.call('ZREM', KEYS[4], streamKey)
    redis.call('DEL', streamKey)
  end
  return first
end

local epoch = redis.call('GET', KEYS[2])
if not epoch then
  -- A new epoch (Redis started empty) numbers on from the time in microseconds, so its ids are
  -- above every earlier epoch's and never go backwards for a client that saw those.
  epoch = ARGV[1]
  redis.call('SET', KEYS[2], epoch)
  local start = tonumber(now[1]) * 1000000 + tonumber(now[2])
  if tonumber(redis.call('GET', KEYS[1]) or '0') < start then
    redis.call('SET', KEYS[1], str(start))
  end
end
local out = {'ok', epoch}
local seqs = {}
local prefix = ARGV[9]
local at, keyAt = 10, 10
while at <= #ARGV do
  local data, kind, retry, token, private, id = ARGV[at], ARGV[at + 1], ARGV[at + 2], ARGV[at + 3], ARGV[at + 4], ARGV[at + 5]
  local n = tonumber(ARGV[at + 6])
  local topics = {}
  for t = 1, n do topics[t] = ARGV[at + 6 + t] end
  at = at + 7 + n
  local joined = table.concat(topics, '\n')
  local seq = redis.call('INCR', KEYS[1])
  local entryId = str(seq) .. '-0'
  for t = 1, n do
    local streamKey, meta = KEYS[keyAt + 2 * (t - 1)], KEYS[keyAt + 2 * (t - 1) + 1]
    if size > 0 then
      local bytes = #data + #kind + #retry + (n > 1 and #joined or 0) + #id + 48
      local fields = {'d', data, 't', kind, 'r', retry, 'ts', nowMs, 'b', bytes}
      if private == '1' then table.insert(fields, 'p'); table.insert(fields, '1') end
      if id ~= '' then table.insert(fields, 'c'); table.insert(fields, id) end
      if n > 1 then table.insert(fields, 'a'); table.insert(fields, joined) end
      redis.call('XADD', streamKey, entryId, unpack(fields))
      redis.call('INCRBY', KEYS[3], bytes)
      if not redis.call('ZSCORE', KEYS[4], streamKey) then
        redis.call('ZADD', KEYS[4], seq, streamKey)
      end
    elseif seq > tonumber(redis.call('HGET', meta, 'trimmed') or '0') then
      redis.call('HSET', meta, 'trimmed', seq)
    end
    redis.call('HSET', meta, 'last', seq)
    redis.call('PEXPIRE', meta, maxAge * 2)
  end
  if size > 0 then
    redis.call('XADD', KEYS[7], entryId, 'k', KEYS[keyAt])
    if id ~= '' then redis.call('HSET', KEYS[9], id, epoch .. ' ' .. str(seq) .. ' ' .. KEYS[keyAt]) end
    for t = 1, n do
      local streamKey = KEYS[keyAt + 2 * (t - 1)]
      while redis.call('XLEN', streamKey) > size do forgetOldest(streamKey) end
    end
  else
    redis.call('HSET', KEYS[8], 'trimmed', seq)
  end
  keyAt = keyAt + 2 * n
  local message = token .. '\n' .. epoch .. '\n' .. str(seq) .. '\n' .. kind .. '\n' .. retry .. '\n' .. private
      .. '\n' .. id .. '\n' .. n .. '\n' .. joined .. '\n' .. data
  for t = 1, n do redis.call(PUBLISH, prefix .. topics[t], message) end
  redis.call(PUBLISH, prefix, message)
  table.insert(out, seq)
  table.insert(seqs, str(seq))
end

-- all topics together: the oldest go first, by age and by the byte budget
while true do
  local oldest = redis.call('ZRANGE', KEYS[4], 0, 0)[1]
  if not oldest then break end
  local first = redis.call('XRANGE', oldest, '-', '+', 'COUNT', 1)[1]
  local over = tonumber(redis.call('GET', KEYS[3]) or '0') > maxBytes
  if first and not over and tonumber(field(first, 'ts')) >= nowMs - maxAge then break end
  forgetOldest(oldest)
end

redis.call('SET', KEYS[5], ARGV[3] .. ' ' .. epoch .. ' ' .. table.concat(seqs, ' '), 'PX', tonumber(ARGV[4]))
return out
