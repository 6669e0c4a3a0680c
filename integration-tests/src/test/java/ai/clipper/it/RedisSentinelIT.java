package ai.clipper.it;

/**
 * The stack on Redis Sentinel (a master, two replicas, three sentinels): the sentinels promote a
 * replica when the master is killed, and the services follow the master they name.
 */
class RedisSentinelIT extends RedisFailoverBehaviour {

  @Override
  ReplicatedRedis startRedis() {
    return RedisSentinelGroup.start();
  }
}
