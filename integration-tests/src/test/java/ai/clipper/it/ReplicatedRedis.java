package ai.clipper.it;

import java.util.List;

/** A Redis that survives the loss of its master, started by a test on free ports. */
interface ReplicatedRedis extends AutoCloseable {

  /** Where the services find it: Spring's {@code spring.data.redis.*} arguments. */
  List<String> springArgs();

  /** SIGKILLs the master that holds {@code key} (as {@code kill -9}); its port. */
  int killMasterOf(String key);

  /** Runs a command on whichever node holds {@code key} now. */
  List<String> command(String key, String... command);

  /** How many clients listen on {@code channel}, over every node still running. */
  long subscribers(String channel);

  @Override
  void close();
}
