-- Helpers every script of the backplane starts with (LuaScript puts them in front of each).

-- Lua 5.1 writes numbers past 14 digits with an exponent: seqs are written with this
local function str(n)
  return string.format('%d', n)
end

-- A field of a stream entry {id, {field, value, ...}}
local function field(entry, name)
  for k = 1, #entry[2], 2 do
    if entry[2][k] == name then return entry[2][k + 1] end
  end
  return nil
end

-- The seq of a stream entry id '<seq>-0'
local function seqOf(entryId)
  return tonumber(string.match(entryId, '^(%d+)'))
end

-- The milliseconds of Redis's clock
local function nowMillis()
  local now = redis.call('TIME')
  return tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
end
