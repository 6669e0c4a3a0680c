package ai.clipper.metadata.localredis;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LocalRedisTest {

  @Test
  void answersPingOnItsPortAndStopsOnClose() throws Exception {
    int port;
    try (LocalRedis redis = LocalRedis.start()) {
      port = redis.port();
      try (Socket socket = new Socket("127.0.0.1", port)) {
        OutputStream out = socket.getOutputStream();
        out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        BufferedReader in = new BufferedReader(
            new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
        assertThat(in.readLine()).isEqualTo("+PONG");
      }
    }
    try (Socket ignored = new Socket("127.0.0.1", port)) {
      throw new AssertionError("Redis still accepts connections after close");
    } catch (java.net.ConnectException expected) {
      // stopped
    }
  }
}
