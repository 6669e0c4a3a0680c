package ai.clipper.management.launcher;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** A started replica: where it listens, how to find it again, when it exits, how to stop it. */
public interface RunningContainer {

  String host();

  int port();

  /** Fields recorded with the replica so the launcher can {@code reattach} after a restart. */
  Map<String, String> launchInfo();

  /** Completes when the container has exited, for whatever reason. */
  CompletableFuture<?> onExit();

  /**
   * The last lines the container wrote, for telling a user why it exited (e.g. a model that does
   * not load); empty when the launcher keeps none.
   */
  default String lastOutput() {
    return "";
  }

  /**
   * The last {@code lines} lines of the container's stdout and stderr, oldest first, as far as
   * they are kept (a process replica's rotated log, a Docker container's log until it is removed).
   */
  List<String> output(int lines);

  /** Asks the container to stop, and forces it after {@code grace}; returns once it is gone. */
  void stop(Duration grace);
}
