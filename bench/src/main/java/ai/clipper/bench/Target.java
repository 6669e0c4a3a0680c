package ai.clipper.bench;

import java.util.function.Consumer;

/** Something the load generator sends queries to: the frontend or the echo over HTTP, a container over gRPC. */
interface Target extends AutoCloseable {

  /**
   * Sends query number {@code seq} without blocking; {@code done} runs exactly once with its
   * outcome, on any thread, never by throwing.
   */
  void send(long seq, Consumer<Outcome> done);

  @Override
  default void close() {}
}
