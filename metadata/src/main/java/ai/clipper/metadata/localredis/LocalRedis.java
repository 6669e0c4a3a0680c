package ai.clipper.metadata.localredis;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import redis.embedded.RedisServer;

/**
 * A Redis on a loopback port, for tests and the local start script: the installed
 * {@code redis-server} when there is one, otherwise the embedded binary, so a machine with only a
 * JDK still runs everything. Throwaway (in memory only) by default; given a data directory it
 * keeps an append-only file there, fsynced every second as {@code redis/redis.conf} does, so a
 * Redis started again on that directory has the same data.
 *
 * <pre>{@code
 * try (LocalRedis redis = LocalRedis.start()) { connect to redis.port() }
 * }</pre>
 */
public final class LocalRedis implements AutoCloseable {

  private final int port;
  private final Process process;
  private final RedisServer embedded;

  private LocalRedis(int port, Process process, RedisServer embedded) {
    this.port = port;
    this.process = process;
    this.embedded = embedded;
  }

  /** Starts a Redis on a free port and waits until it accepts connections. */
  public static LocalRedis start() {
    return start(freePort());
  }

  /** Starts a throwaway Redis on {@code port} and waits until it accepts connections. */
  public static LocalRedis start(int port) {
    return start(port, null);
  }

  /**
   * Starts a Redis on {@code port} that persists to {@code dataDir} (created when missing; null for
   * none) and waits until it accepts connections.
   */
  public static LocalRedis start(int port, Path dataDir) {
    List<String> settings = persistence(dataDir);
    try {
      LocalRedis redis = installedBinary()
          .map(binary -> new LocalRedis(port, startProcess(binary, List.of(), port, settings),
              null))
          .orElseGet(() -> new LocalRedis(port, null, startEmbedded(port, settings)));
      redis.awaitReady();
      return redis;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Starts the installed {@code redis-server} on {@code port}, throwaway, with {@code args} before
   * the usual settings (a config file and {@code --sentinel} for a sentinel) and more
   * {@code settings} as name-value pairs after them ({@code replicaof}, {@code cluster-enabled}):
   * replication, Sentinel and Cluster, for which the embedded fallback is not meant.
   */
  public static LocalRedis startInstalled(int port, List<String> args, List<String> settings) {
    Path binary = installedBinary().orElseThrow(() -> new IllegalStateException(
        "redis-server is not installed (apt-get install redis-server)"));
    List<String> all = new ArrayList<>(persistence(null));
    // a replica loads its master's data from the socket, not through a dump.rdb in the
    // working directory (Redis's default)
    all.addAll(List.of("repl-diskless-load", "swapdb"));
    all.addAll(settings);
    LocalRedis redis = new LocalRedis(port, startProcess(binary, args, port, all), null);
    try {
      redis.awaitReady();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return redis;
  }

  public int port() {
    return port;
  }

  /** The process of the installed binary, e.g. to pause it with {@code kill -STOP}. */
  public java.util.Optional<ProcessHandle> process() {
    return java.util.Optional.ofNullable(process).map(Process::toHandle);
  }

  /** Whether this is the installed binary rather than the embedded one. */
  public boolean isInstalledBinary() {
    return process != null;
  }

  @Override
  public void close() {
    try {
      if (process != null) {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } else {
        embedded.stop();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Kills the installed binary's process as {@code kill -9} would (nothing flushed: what the
   * append-only file has not yet been fsynced is lost); stops the embedded one.
   */
  public void kill() {
    if (process == null) {
      close();
      return;
    }
    try {
      process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Runs a Redis in the foreground: {@code LocalRedis [port [data-dir]]}, stopped with the
   * process.
   */
  public static void main(String[] args) throws InterruptedException {
    LocalRedis redis = start(args.length > 0 ? Integer.parseInt(args[0]) : freePort(),
        args.length > 1 ? Path.of(args[1]) : null);
    Runtime.getRuntime().addShutdownHook(new Thread(redis::close));
    System.out.println("Redis (" + (redis.isInstalledBinary() ? "redis-server" : "embedded")
        + ") listening on 127.0.0.1:" + redis.port());
    Thread.currentThread().join();
  }

  /** A port that was free a moment ago. */
  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static java.util.Optional<Path> installedBinary() {
    String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
    for (String dir : path.split(File.pathSeparator)) {
      Path candidate = Path.of(dir, "redis-server");
      if (Files.isExecutable(candidate)) {
        return java.util.Optional.of(candidate);
      }
    }
    return java.util.Optional.empty();
  }

  /** {@code redis.conf} settings, as name-value pairs: AOF in {@code dataDir}, or no persistence. */
  private static List<String> persistence(Path dataDir) {
    if (dataDir == null) {
      return List.of("save", "", "appendonly", "no");
    }
    try {
      Files.createDirectories(dataDir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return List.of("save", "", "appendonly", "yes", "appendfsync", "everysec",
        "dir", dataDir.toAbsolutePath().toString());
  }

  private static Process startProcess(Path binary, List<String> args, int port,
      List<String> settings) {
    List<String> command = new ArrayList<>(List.of(binary.toString()));
    command.addAll(args);
    command.addAll(List.of("--port", Integer.toString(port), "--bind", "127.0.0.1",
        "--daemonize", "no", "--logfile", ""));
    for (int i = 0; i < settings.size(); i += 2) {
      command.add("--" + settings.get(i));
      command.add(settings.get(i + 1));
    }
    try {
      return new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static RedisServer startEmbedded(int port, List<String> settings) {
    try {
      var builder = RedisServer.newRedisServer().port(port).setting("bind 127.0.0.1");
      for (int i = 0; i < settings.size(); i += 2) {
        String value = settings.get(i + 1);
        builder.setting(settings.get(i) + " \"" + value + "\"");
      }
      RedisServer server = builder.build();
      server.start();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void awaitReady() throws IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      if (process != null && !process.isAlive()) {
        throw new IOException("redis-server exited with " + process.exitValue());
      }
      if (answersPing()) {
        return;
      }
      sleepBriefly();
    }
    close();
    throw new IOException("Redis did not answer PING on port " + port + " within 10 s");
  }

  /** PONG, not -LOADING: a Redis that listens may still be loading its data. */
  private boolean answersPing() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
      socket.setSoTimeout(1000);
      socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      byte[] answer = new byte[5];
      int read = socket.getInputStream().readNBytes(answer, 0, answer.length);
      return new String(answer, 0, read, StandardCharsets.US_ASCII).equals("+PONG");
    } catch (IOException notYet) {
      return false;
    }
  }

  private static void sleepBriefly() {
    try {
      Thread.sleep(20);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
