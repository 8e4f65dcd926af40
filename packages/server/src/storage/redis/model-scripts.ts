import { RedisScript } from './redis-script.ts';

// Item hash fields: p = payload JSON, e = expiresAt, g = groupId (absent without a group). The expiry
// sorted set and the group sets only ever change together with the hash, inside one script.

/**
 * KEYS: item, expiry set. ARGV: id, payload, expiresAt, groupId ('' for none), ttlMs, group prefix,
 * cutoff. Expiry entries scored below the cutoff belong to items Redis has already dropped by TTL.
 */
export const upsertScript = new RedisScript(`
local old = redis.call('HGET', KEYS[1], 'g')
if old and old ~= ARGV[4] then redis.call('SREM', ARGV[6] .. old, ARGV[1]) end
redis.call('DEL', KEYS[1])
if ARGV[4] == '' then
  redis.call('HSET', KEYS[1], 'p', ARGV[2], 'e', ARGV[3])
else
  redis.call('HSET', KEYS[1], 'p', ARGV[2], 'e', ARGV[3], 'g', ARGV[4])
  local group = ARGV[6] .. ARGV[4]
  redis.call('SADD', group, ARGV[1])
  if redis.call('PTTL', group) < tonumber(ARGV[5]) then redis.call('PEXPIRE', group, ARGV[5]) end
end
redis.call('PEXPIRE', KEYS[1], ARGV[5])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', '(' .. ARGV[7])
return 1
`);

/** KEYS: item, expiry set. ARGV: id, now, group prefix. Returns the payload of a live item, removing it. */
export const consumeScript = new RedisScript(`
local v = redis.call('HMGET', KEYS[1], 'p', 'e', 'g')
if not v[1] or tonumber(v[2]) <= tonumber(ARGV[2]) then return false end
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], ARGV[1])
if v[3] then redis.call('SREM', ARGV[3] .. v[3], ARGV[1]) end
return v[1]
`);

/** KEYS: item, expiry set. ARGV: id, group prefix. */
export const destroyScript = new RedisScript(`
local g = redis.call('HGET', KEYS[1], 'g')
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], ARGV[1])
if g then redis.call('SREM', ARGV[2] .. g, ARGV[1]) end
return 1
`);

/**
 * KEYS: group set. ARGV: now, item prefix, groupId. Returns [id, payload, expiresAt, ...] of live
 * members; the group check skips an id re-created in another group after Redis dropped it by TTL.
 */
export const findByGroupScript = new RedisScript(`
local out = {}
for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local v = redis.call('HMGET', ARGV[2] .. id, 'p', 'e', 'g')
  if v[1] and v[3] == ARGV[3] and tonumber(v[2]) > tonumber(ARGV[1]) then
    out[#out + 1] = id
    out[#out + 1] = v[1]
    out[#out + 1] = v[2]
  end
end
return out
`);

/** KEYS: group set, expiry set. ARGV: item prefix, groupId. Returns how many items were removed. */
export const destroyByGroupScript = new RedisScript(`
local n = 0
for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local key = ARGV[1] .. id
  if redis.call('HGET', key, 'g') == ARGV[2] then
    redis.call('DEL', key)
    redis.call('ZREM', KEYS[2], id)
    n = n + 1
  end
end
redis.call('DEL', KEYS[1])
return n
`);

/**
 * KEYS: expiry set. ARGV: now, limit, item prefix, group prefix, '1' to return the items or '0' to count.
 * Removes up to `limit` expired entries; returns [id, payload, expiresAt, groupId or '', ...] or
 * [removed, entries scanned].
 */
export const takeExpiredScript = new RedisScript(`
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, ARGV[2])
local out = {}
local n = 0
for _, id in ipairs(ids) do
  redis.call('ZREM', KEYS[1], id)
  local key = ARGV[3] .. id
  local v = redis.call('HMGET', key, 'p', 'e', 'g')
  if v[1] then
    redis.call('DEL', key)
    if v[3] then redis.call('SREM', ARGV[4] .. v[3], id) end
    n = n + 1
    if ARGV[5] == '1' then
      out[#out + 1] = id
      out[#out + 1] = v[1]
      out[#out + 1] = v[2]
      out[#out + 1] = v[3] or ''
    end
  end
end
if ARGV[5] == '1' then return out end
return { n, #ids }
`);
