package ai.clipper.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * A program a test runs (a service, Prometheus, HAProxy, Zipkin), with its output in a log in its
 * own scratch directory: started, awaited until it answers, and stopped as SIGTERM would, in one
 * place.
 */
final class ExternalProcess implements AutoCloseable {

  private static final Duration STOP_WITHIN = Duration.ofSeconds(20);

  private final String name;
  private final Process process;
  private final ScratchDirectory dir;

  private ExternalProcess(String name, Process process, ScratchDirectory dir) {
    this.name = name;
    this.process = process;
    this.dir = dir;
  }

  /** Whether {@code command} (e.g. {@code haproxy -v}) runs on this machine and succeeds. */
  static boolean installed(String... command) {
    try {
      return new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  /**
   * Runs {@code command} to its end, within a minute, and returns its output; fails with it
   * unless the command exits with 0. Its errors go to the test's own unless merged into the output.
   */
  static String run(ProcessBuilder command) {
    if (!command.redirectErrorStream()) {
      command.redirectError(ProcessBuilder.Redirect.INHERIT);
    }
    try {
      Process process = command.start();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", command.command()) + " failed: " + out);
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Writes {@code config} with one of the project's render scripts (e.g.
   * {@code deploy/haproxy/render.sh}), so a test runs the config users run.
   */
  static void render(String script, List<String> args, Path config) {
    Path root = Path.of(System.getProperty("clipper.root", "..")).toAbsolutePath().normalize();
    List<String> command = new ArrayList<>(List.of(root.resolve(script).toString()));
    command.addAll(args);
    run(new ProcessBuilder(command).redirectOutput(config.toFile()));
  }

  /** Starts {@code command} with its own scratch directory for its log. */
  static ExternalProcess start(String name, ProcessBuilder command) {
    return start(name, ScratchDirectory.create(name), command);
  }

  /**
   * Starts {@code command} with its output in {@code name.log} of {@code dir}, which it then owns
   * (its config and data may be there too) and deletes when closed.
   */
  static ExternalProcess start(String name, ScratchDirectory dir, ProcessBuilder command) {
    try {
      Process process = command.redirectErrorStream(true)
          .redirectOutput(dir.resolve(name + ".log").toFile())
          .start();
      return new ExternalProcess(name, process, dir);
    } catch (IOException e) {
      dir.close();
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Waits until {@code ready} says so (an exception from it means not yet); stops the process and
   * fails with its log if it exits first or is not ready {@code within}.
   */
  ExternalProcess awaitReady(Duration within, Callable<Boolean> ready) {
    long deadline = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw failure(" exited at start:\n");
      }
      try {
        if (ready.call()) {
          return this;
        }
      } catch (Exception notYet) {
        // not listening yet
      }
      pause();
    }
    throw failure(" not ready within " + within.toSeconds() + " s:\n");
  }

  private IllegalStateException failure(String what) {
    IllegalStateException failure = new IllegalStateException(name + what + log());
    close();
    return failure;
  }

  private static void pause() {
    try {
      Thread.sleep(100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  Process process() {
    return process;
  }

  /** Everything the process wrote so far. */
  String log() {
    try {
      return Files.readString(dir.resolve(name + ".log"));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  /** Stops the process as SIGTERM would (so it stops what it started), then deletes its files. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(STOP_WITHIN.toSeconds(), TimeUnit.SECONDS)) {
        List<ProcessHandle> left = process.descendants().toList();
        left.forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    dir.close();
  }
}
