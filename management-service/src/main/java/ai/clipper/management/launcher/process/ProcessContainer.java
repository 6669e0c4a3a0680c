package ai.clipper.management.launcher.process;

import ai.clipper.management.launcher.ContainerTelemetry;
import ai.clipper.management.launcher.RunningContainer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** A replica running as a local process (and whatever its {@code run} script started). */
final class ProcessContainer implements RunningContainer {

  static final String LAUNCHER = "process";

  /** Lines of its output kept to say why a replica exited. */
  static final int LAST_LINES = 20;

  private final ProcessHandle process;
  private final CompletableFuture<?> exit;
  private final String host;
  private final int port;
  private final int metricsPort;
  private final ReplicaLog log;

  ProcessContainer(ProcessHandle process, CompletableFuture<?> exit, String host, int port,
      int metricsPort, ReplicaLog log) {
    this.process = process;
    this.exit = exit;
    this.host = host;
    this.port = port;
    this.metricsPort = metricsPort;
    this.log = log;
  }

  /** The start time that, with the pid, tells this process apart from a later one with its pid. */
  static String startedAt(ProcessHandle process) {
    return process.info().startInstant().map(Instant::toEpochMilli).map(String::valueOf).orElse("");
  }

  @Override
  public String host() {
    return host;
  }

  @Override
  public int port() {
    return port;
  }

  @Override
  public Map<String, String> launchInfo() {
    return Map.of("launcher", LAUNCHER, "pid", Long.toString(process.pid()),
        "started", startedAt(process), "log", log.file().toString(),
        ContainerTelemetry.METRICS_PORT_FIELD, Integer.toString(metricsPort));
  }

  /** The last lines of its log (each replica appends to its own, across restarts). */
  @Override
  public String lastOutput() {
    return String.join("\n", log.tail(LAST_LINES));
  }

  @Override
  public List<String> output(int lines) {
    return log.tail(lines);
  }

  @Override
  public CompletableFuture<?> onExit() {
    return exit;
  }

  /** SIGTERM to the process and its descendants (a {@code run} script may not exec), then kill. */
  @Override
  public void stop(Duration grace) {
    List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
    all.add(0, process);
    all.forEach(ProcessHandle::destroy);
    long deadline = System.nanoTime() + grace.toNanos();
    for (ProcessHandle handle : all) {
      long left = Math.max(0, deadline - System.nanoTime());
      try {
        handle.onExit().get(left, TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        handle.destroyForcibly();
      } catch (ExecutionException e) {
        handle.destroyForcibly();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        handle.destroyForcibly();
      }
    }
    exit.join();
  }

  @Override
  public String toString() {
    return "pid " + process.pid() + " on " + host + ":" + port;
  }
}
