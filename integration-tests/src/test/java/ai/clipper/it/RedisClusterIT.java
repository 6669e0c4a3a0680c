package ai.clipper.it;

/**
 * The stack on a six-node Redis Cluster: the master that serves the {@code {clipper}} slot is
 * killed, its replica takes the slot over, and the services follow the new topology.
 */
class RedisClusterIT extends RedisFailoverBehaviour {

  @Override
  ReplicatedRedis startRedis() {
    return RedisClusterNodes.start();
  }
}
