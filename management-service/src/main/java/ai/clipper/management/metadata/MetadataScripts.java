package ai.clipper.management.metadata;

import org.springframework.data.redis.core.script.DefaultRedisScript;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * The Lua scripts behind every metadata write: each checks its precondition and writes in one
 * atomic step, then bumps the version counter and publishes the new version, so a frontend never
 * sees half a change and always hears about it. Every script takes the version counter as
 * {@code KEYS[1]} and the change channel as {@code ARGV[1]}, and answers 1 when it wrote, 0 when
 * its precondition failed.
 */
final class MetadataScripts {

  private static final String BUMP = """
      local version = redis.call('INCR', KEYS[1])
      redis.call('PUBLISH', ARGV[1], version)
      return 1
      """;

  /**
   * Adds {@code ARGV[2]} to the index set {@code KEYS[2]} unless it is there, writes the hash
   * {@code KEYS[3]} from the field/value pairs {@code ARGV[4..]} and, when {@code KEYS[4]} is
   * given, sets it to {@code ARGV[3]} (a model's current version).
   */
  static final RedisScript<Long> CREATE = script("""
      if redis.call('SADD', KEYS[2], ARGV[2]) == 0 then return 0 end
      redis.call('DEL', KEYS[3])
      redis.call('HSET', KEYS[3], unpack(ARGV, 4))
      if KEYS[4] then redis.call('SET', KEYS[4], ARGV[3]) end
      """);

  /** Removes {@code ARGV[2]} from the index set {@code KEYS[2]} and deletes {@code KEYS[3..]}. */
  static final RedisScript<Long> DELETE = script("""
      if redis.call('SREM', KEYS[2], ARGV[2]) == 0 then return 0 end
      for i = 3, #KEYS do redis.call('DEL', KEYS[i]) end
      """);

  /**
   * Runs the command {@code ARGV[3]} (SET, HSET, SADD or SREM) on {@code KEYS[3]} with the
   * arguments {@code ARGV[4..]}, only while {@code ARGV[2]} is in the set {@code KEYS[2]}: a write
   * to something deleted meanwhile is dropped instead of resurrecting it.
   */
  static final RedisScript<Long> GUARDED = script("""
      if redis.call('SISMEMBER', KEYS[2], ARGV[2]) == 0 then return 0 end
      redis.call(ARGV[3], KEYS[3], unpack(ARGV, 4))
      """);

  /**
   * Records a replica: while the model version {@code ARGV[2]} is in the models set
   * {@code KEYS[2]}, adds {@code ARGV[3]} to the replicas set {@code KEYS[3]} and writes the
   * replica hash {@code KEYS[4]} from {@code ARGV[4..]}.
   */
  static final RedisScript<Long> PUT_REPLICA = script("""
      if redis.call('SISMEMBER', KEYS[2], ARGV[2]) == 0 then return 0 end
      redis.call('SADD', KEYS[3], ARGV[3])
      redis.call('DEL', KEYS[4])
      redis.call('HSET', KEYS[4], unpack(ARGV, 4))
      """);

  /**
   * Deletes the model version {@code ARGV[2]} (set {@code KEYS[2]}, hash {@code KEYS[3]}); when
   * it was the current version ({@code KEYS[4]} holds {@code ARGV[3]}), the current version moves
   * to {@code ARGV[4]}, or is cleared when that is empty.
   */
  static final RedisScript<Long> DELETE_MODEL = script("""
      if redis.call('SREM', KEYS[2], ARGV[2]) == 0 then return 0 end
      redis.call('DEL', KEYS[3])
      if redis.call('GET', KEYS[4]) == ARGV[3] then
        if ARGV[4] == '' then redis.call('DEL', KEYS[4]) else redis.call('SET', KEYS[4], ARGV[4]) end
      end
      """);

  private MetadataScripts() {
  }

  private static RedisScript<Long> script(String body) {
    return new DefaultRedisScript<>(body + BUMP, Long.class);
  }
}
