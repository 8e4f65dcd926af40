import { RedisScript } from './redis-script.ts';

// A message is a hash with the OutboxMessage fields; its id sits in the sorted set of its status:
// pending scored by nextAttemptAt (what claimDue walks), delivered and failed by createdAt (for purge).

/** KEYS: message, status set. ARGV: id, score, field, value, ... Ignores an id already stored. */
export const enqueueScript = new RedisScript(`
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], unpack(ARGV, 3))
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[1])
return 1
`);

/** KEYS: pending set. ARGV: now, limit, leasedUntil, message prefix. Returns each leased message's HGETALL. */
export const claimScript = new RedisScript(`
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, ARGV[2])
local out = {}
for i, id in ipairs(ids) do
  local key = ARGV[4] .. id
  redis.call('ZADD', KEYS[1], ARGV[3], id)
  redis.call('HSET', key, 'nextAttemptAt', ARGV[3])
  out[i] = redis.call('HGETALL', key)
end
return out
`);

/** KEYS: message, pending set, delivered set. ARGV: id. */
export const deliveredScript = new RedisScript(`
if redis.call('HGET', KEYS[1], 'status') ~= 'pending' then return 0 end
redis.call('HSET', KEYS[1], 'status', 'delivered')
redis.call('HINCRBY', KEYS[1], 'attempts', 1)
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('ZADD', KEYS[3], redis.call('HGET', KEYS[1], 'createdAt'), ARGV[1])
return 1
`);

/** KEYS: message, pending set, failed set. ARGV: id, error, nextAttemptAt ('' when final). */
export const failedScript = new RedisScript(`
if redis.call('HGET', KEYS[1], 'status') ~= 'pending' then return 0 end
redis.call('HINCRBY', KEYS[1], 'attempts', 1)
redis.call('HSET', KEYS[1], 'lastError', ARGV[2])
if ARGV[3] == '' then
  redis.call('HSET', KEYS[1], 'status', 'failed')
  redis.call('ZREM', KEYS[2], ARGV[1])
  redis.call('ZADD', KEYS[3], redis.call('HGET', KEYS[1], 'createdAt'), ARGV[1])
else
  redis.call('HSET', KEYS[1], 'nextAttemptAt', ARGV[3])
  redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
end
return 1
`);

/** KEYS: status sets to read. ARGV: message prefix. Returns each message's HGETALL. */
export const listScript = new RedisScript(`
local out = {}
for _, set in ipairs(KEYS) do
  for _, id in ipairs(redis.call('ZRANGE', set, 0, -1)) do
    out[#out + 1] = redis.call('HGETALL', ARGV[1] .. id)
  end
end
return out
`);

/** KEYS: a delivered or failed set. ARGV: before, limit, message prefix. Returns how many were removed. */
export const purgeScript = new RedisScript(`
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[1], 'LIMIT', 0, ARGV[2])
for _, id in ipairs(ids) do
  redis.call('DEL', ARGV[3] .. id)
  redis.call('ZREM', KEYS[1], id)
end
return #ids
`);
