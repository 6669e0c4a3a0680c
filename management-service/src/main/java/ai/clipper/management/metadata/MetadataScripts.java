package ai.clipper.management.metadata;

import java.util.List;
import org.springframework.data.redis.core.script.DefaultRedisScript;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * The Lua scripts behind every metadata write: each checks its precondition and writes in one
 * atomic step, then bumps the version counter and publishes the new version, so a frontend never
 * sees half a change and always hears about it, and no concurrent write slips between a rule's
 * check and its write. Every script takes the version counter as {@code KEYS[1]} and the change
 * channel as {@code ARGV[1]}. The guarded scripts answer 1 when they wrote, 0 when their
 * precondition failed; the checked ones answer {@code {'OK'}} when they wrote, else a
 * {@link Refusal.Reason} name and what it refused over.
 *
 * <p>The checked scripts reach keys they find on the way (a model version's hash, an app's links)
 * by a key prefix from {@link ai.clipper.metadata.RedisKeys} plus a member of an index set: those
 * keys share the declared keys' prefix, a hash tag in production, so on a Redis Cluster they live
 * in the same slot.
 */
final class MetadataScripts {

  private static final String BUMP = """
      local version = redis.call('INCR', KEYS[1])
      redis.call('PUBLISH', ARGV[1], version)
      """;

  /**
   * Adds {@code ARGV[2]} to the index set {@code KEYS[2]} unless it is there, writes the hash
   * {@code KEYS[3]} from the field/value pairs {@code ARGV[3..]}.
   */
  static final RedisScript<Long> CREATE = guarded("""
      if redis.call('SADD', KEYS[2], ARGV[2]) == 0 then return 0 end
      redis.call('DEL', KEYS[3])
      redis.call('HSET', KEYS[3], unpack(ARGV, 3))
      """);

  /** Removes {@code ARGV[2]} from the index set {@code KEYS[2]} and deletes {@code KEYS[3..]}. */
  static final RedisScript<Long> DELETE = guarded("""
      if redis.call('SREM', KEYS[2], ARGV[2]) == 0 then return 0 end
      for i = 3, #KEYS do redis.call('DEL', KEYS[i]) end
      """);

  /**
   * Runs the command {@code ARGV[3]} (SET, HSET, SADD or SREM) on {@code KEYS[3]} with the
   * arguments {@code ARGV[4..]}, only while {@code ARGV[2]} is in the set {@code KEYS[2]}: a write
   * to something deleted meanwhile is dropped instead of resurrecting it.
   */
  static final RedisScript<Long> GUARDED = guarded("""
      if redis.call('SISMEMBER', KEYS[2], ARGV[2]) == 0 then return 0 end
      redis.call(ARGV[3], KEYS[3], unpack(ARGV, 4))
      """);

  /**
   * Links the models {@code ARGV[4..]} to the app {@code ARGV[2]} (apps set {@code KEYS[2]}, app
   * hash {@code KEYS[3]}, links set {@code KEYS[4]}) when each has at least one version in the
   * models set {@code KEYS[5]}, every version (hash {@code ARGV[3] .. name:version}) has the app's
   * input type, and none is linked yet.
   */
  static final RedisScript<List> LINK = checked("""
      if redis.call('SISMEMBER', KEYS[2], ARGV[2]) == 0 then return {'NO_APP', ARGV[2]} end
      local appType = redis.call('HGET', KEYS[3], 'input_type')
      local ids = redis.call('SMEMBERS', KEYS[5])
      for i = 4, #ARGV do
        local name = ARGV[i]
        local found = false
        for _, id in ipairs(ids) do
          if string.sub(id, 1, #name + 1) == name .. ':' then
            found = true
            local modelType = redis.call('HGET', ARGV[3] .. id, 'input_type')
            if modelType ~= appType then return {'INCOMPATIBLE_INPUT_TYPE', name, modelType} end
          end
        end
        if not found then return {'NO_MODEL', name} end
        if redis.call('SISMEMBER', KEYS[4], name) == 1 then return {'ALREADY_LINKED', name} end
      end
      redis.call('SADD', KEYS[4], unpack(ARGV, 4))
      """);

  /**
   * Unlinks the models {@code ARGV[3..]} from the app {@code ARGV[2]} (apps set {@code KEYS[2]},
   * links set {@code KEYS[3]}) when each is linked.
   */
  static final RedisScript<List> UNLINK = checked("""
      if redis.call('SISMEMBER', KEYS[2], ARGV[2]) == 0 then return {'NO_APP', ARGV[2]} end
      for i = 3, #ARGV do
        if redis.call('SISMEMBER', KEYS[3], ARGV[i]) == 0 then return {'NOT_LINKED', ARGV[i]} end
      end
      redis.call('SREM', KEYS[3], unpack(ARGV, 3))
      """);

  /**
   * Sets the selection policy fields {@code ARGV[4..]} (pairs) of the app {@code ARGV[2]} (apps
   * set {@code KEYS[2]}, hash {@code KEYS[3]}) when each of the {@code ARGV[3]} models after the
   * pairs, which the policy's parameters name, is in its links set {@code KEYS[4]}.
   */
  static final RedisScript<List> SET_POLICY = checked("""
      if redis.call('SISMEMBER', KEYS[2], ARGV[2]) == 0 then return {'NO_APP', ARGV[2]} end
      local named = tonumber(ARGV[3])
      for i = #ARGV - named + 1, #ARGV do
        if redis.call('SISMEMBER', KEYS[4], ARGV[i]) == 0 then return {'NOT_LINKED', ARGV[i]} end
      end
      redis.call('HSET', KEYS[3], unpack(ARGV, 4, #ARGV - named))
      """);

  /**
   * Adds the model version {@code ARGV[2]} (models set {@code KEYS[3]}, hash {@code KEYS[4]} from
   * the pairs {@code ARGV[7..]}) and makes {@code ARGV[3]} the current version ({@code KEYS[5]}),
   * unless it exists or an app (set {@code KEYS[2]}, hashes {@code ARGV[5] .. app}) whose links
   * ({@code ARGV[4] .. app}) name the model {@code ARGV[6]} has another input type than the
   * version's ({@code input_type} among the pairs); apps are checked by name, as listed.
   */
  static final RedisScript<List> ADD_MODEL = checked("""
      local name, modelType = ARGV[6], nil
      for i = 7, #ARGV, 2 do if ARGV[i] == 'input_type' then modelType = ARGV[i + 1] end end
      local apps = redis.call('SMEMBERS', KEYS[2])
      table.sort(apps)
      for _, app in ipairs(apps) do
        if redis.call('SISMEMBER', ARGV[4] .. app, name) == 1 then
          local appType = redis.call('HGET', ARGV[5] .. app, 'input_type')
          if appType ~= modelType then return {'INCOMPATIBLE_INPUT_TYPE', app, appType} end
        end
      end
      if redis.call('SADD', KEYS[3], ARGV[2]) == 0 then return {'EXISTS', ARGV[2]} end
      redis.call('DEL', KEYS[4])
      redis.call('HSET', KEYS[4], unpack(ARGV, 7))
      redis.call('SET', KEYS[5], ARGV[3])
      """);

  /**
   * Deletes the model version {@code ARGV[2]} (set {@code KEYS[2]}, hash {@code KEYS[3]}) and its
   * replicas (set {@code KEYS[5]}, hashes {@code ARGV[5] .. name:version:id}); when it was the
   * current version ({@code KEYS[4]} holds {@code ARGV[3]}), the current version moves to
   * {@code ARGV[4]}, or is cleared when that is empty. Refuses STALE when {@code ARGV[4]} was
   * deleted meanwhile, so the current version never names a deleted one.
   */
  static final RedisScript<List> DELETE_MODEL = checked("""
      if redis.call('SISMEMBER', KEYS[2], ARGV[2]) == 0 then return {'NO_MODEL', ARGV[2]} end
      local model = string.match(ARGV[2], '^[^:]*:')
      if ARGV[4] ~= '' and redis.call('SISMEMBER', KEYS[2], model .. ARGV[4]) == 0 then
        return {'STALE', ARGV[4]}
      end
      redis.call('SREM', KEYS[2], ARGV[2])
      redis.call('DEL', KEYS[3])
      if redis.call('GET', KEYS[4]) == ARGV[3] then
        if ARGV[4] == '' then redis.call('DEL', KEYS[4]) else redis.call('SET', KEYS[4], ARGV[4]) end
      end
      for _, replica in ipairs(redis.call('SMEMBERS', KEYS[5])) do
        if string.sub(replica, 1, #ARGV[2] + 1) == ARGV[2] .. ':' then
          redis.call('SREM', KEYS[5], replica)
          redis.call('DEL', ARGV[5] .. replica)
        end
      end
      """);

  /**
   * Records a replica: while the model version {@code ARGV[2]} is in the models set
   * {@code KEYS[2]} and its hash {@code KEYS[5]} has the replica's input type {@code ARGV[4]},
   * adds {@code ARGV[3]} to the replicas set {@code KEYS[3]} and writes the replica hash
   * {@code KEYS[4]} from {@code ARGV[5..]}.
   */
  static final RedisScript<List> PUT_REPLICA = checked("""
      if redis.call('SISMEMBER', KEYS[2], ARGV[2]) == 0 then return {'NO_MODEL', ARGV[2]} end
      local modelType = redis.call('HGET', KEYS[5], 'input_type')
      if modelType ~= ARGV[4] then return {'INCOMPATIBLE_INPUT_TYPE', ARGV[2], modelType} end
      redis.call('SADD', KEYS[3], ARGV[3])
      redis.call('DEL', KEYS[4])
      redis.call('HSET', KEYS[4], unpack(ARGV, 5))
      """);

  /**
   * Forgets the replica {@code ARGV[2]} (set {@code KEYS[2]}, hash {@code KEYS[3]}) unless a
   * launcher started it: then its hash has fields starting with {@code ARGV[3]}.
   */
  static final RedisScript<List> REMOVE_REGISTERED_REPLICA = checked("""
      if redis.call('SISMEMBER', KEYS[2], ARGV[2]) == 0 then return {'NO_REPLICA', ARGV[2]} end
      for _, field in ipairs(redis.call('HKEYS', KEYS[3])) do
        if string.sub(field, 1, #ARGV[3]) == ARGV[3] then return {'LAUNCHED', ARGV[2]} end
      end
      redis.call('SREM', KEYS[2], ARGV[2])
      redis.call('DEL', KEYS[3])
      """);

  private MetadataScripts() {
  }

  private static RedisScript<Long> guarded(String body) {
    return new DefaultRedisScript<>(body + BUMP + "return 1\n", Long.class);
  }

  private static RedisScript<List> checked(String body) {
    return new DefaultRedisScript<>(body + BUMP + "return {'OK'}\n", List.class);
  }
}
