-- Settles a publish whose answer did not arrive: either it ran (its answer is remembered under its
-- idempotency key) or it never will (its attempt is fenced, and the publish script refuses to run).
-- KEYS[1] idempotency key  KEYS[2] the attempt's fence  ARGV[1] how long the fence stays (ms)
-- Returns {remembered answer ('<fingerprint> <epoch> <seq>...')}, or {'fenced'}.
local remembered = redis.call('GET', KEYS[1])
if remembered then return {remembered} end
redis.call('SET', KEYS[2], '1', 'PX', tonumber(ARGV[1]))
return {'fenced'}
