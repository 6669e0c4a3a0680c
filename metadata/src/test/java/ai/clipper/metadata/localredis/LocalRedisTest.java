package ai.clipper.metadata.localredis;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalRedisTest {

  @Test
  void answersPingOnItsPortAndStopsOnClose() throws Exception {
    int port;
    try (LocalRedis redis = LocalRedis.start()) {
      port = redis.port();
      assertThat(command(port, "PING")).isEqualTo("+PONG");
    }
    try (Socket ignored = new Socket("127.0.0.1", port)) {
      throw new AssertionError("Redis still accepts connections after close");
    } catch (java.net.ConnectException expected) {
      // stopped
    }
  }

  @Test
  void aRedisStartedAgainOnItsDataDirectoryHasTheSameData(@TempDir Path data) throws Exception {
    int port = LocalRedis.freePort();
    try (LocalRedis redis = LocalRedis.start(port, data)) {
      assertThat(command(port, "SET clipper:version 42")).isEqualTo("+OK");
    }
    try (LocalRedis again = LocalRedis.start(port, data)) {
      assertThat(command(port, "GET clipper:version")).isEqualTo("42");
    }
  }

  /** Sends one inline command: a status reply as its line, a bulk string as its value. */
  private static String command(int port, String command) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      OutputStream out = socket.getOutputStream();
      out.write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      BufferedReader in = new BufferedReader(
          new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
      String reply = in.readLine();
      return reply.startsWith("$") && !reply.equals("$-1") ? in.readLine() : reply;
    }
  }
}
