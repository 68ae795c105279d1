-- Claims the subscriptions of a node that stopped renewing its lease (it died, or lost Redis for
-- longer than the lease), once over the cluster: the node leaves the set of nodes, and its
-- subscriptions are deleted and returned to the one caller that claimed them, which announces
-- them inactive.
-- KEYS[1] the nodes (a zset of node by lease deadline, Redis ms)  KEYS[2] that node's
-- subscriptions (a hash)
-- ARGV[1] the node
-- Returns the node's subscription records, or {} when its lease holds or another node claimed it
local deadline = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not deadline or tonumber(deadline) > nowMillis() then return {} end
redis.call('ZREM', KEYS[1], ARGV[1])
local records = redis.call('HVALS', KEYS[2])
redis.call('DEL', KEYS[2])
return records
