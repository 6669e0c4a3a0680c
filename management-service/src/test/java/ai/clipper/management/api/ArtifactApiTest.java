package ai.clipper.management.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import ai.clipper.management.AdminClient;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Model artifacts: uploaded as raw bytes, stored by their SHA-256, fetched by digest. */
class ArtifactApiTest extends RunningService {

  private static final Path DIR = temporaryDirectory();
  private final HttpClient http = HttpClient.newHttpClient();

  @DynamicPropertySource
  static void artifacts(DynamicPropertyRegistry registry) {
    registry.add("clipper.management.artifacts.dir", DIR::toString);
    registry.add("clipper.management.artifacts.max-size", () -> "64KB");
  }

  @Test
  void storesAnArtifactByItsSha256AndServesItBack() throws Exception {
    byte[] bytes = bytes(20_000);

    HttpResponse<String> uploaded = upload(bytes, sha256(bytes));

    assertThat(uploaded.statusCode()).isEqualTo(200);
    String digest = "sha256:" + sha256(bytes);
    assertThat(uploaded.body()).isEqualTo("{\"digest\":\"" + digest + "\",\"size\":20000}");
    assertThat(download(digest).body()).isEqualTo(bytes);
    assertThat(upload(bytes, null).body()).contains(digest);  // the same bytes, stored once
    assertThat(Files.list(DIR).filter(file -> file.getFileName().toString()
        .equals(sha256(bytes))).count()).isEqualTo(1);
  }

  @Test
  void refusesBytesThatDoNotMatchTheDigestTheClientSentAndKeepsNothing() throws Exception {
    byte[] bytes = bytes(1_000);
    String claimed = sha256(bytes(999));

    HttpResponse<String> uploaded = upload(bytes, claimed);

    assertThat(uploaded.statusCode()).isEqualTo(400);
    assertThat(uploaded.body()).contains("\"error\":\"Invalid request\"", claimed);
    assertThat(download("sha256:" + sha256(bytes)).statusCode()).isEqualTo(404);
    assertThat(Files.list(DIR).filter(file -> file.toString().endsWith(".partial"))).isEmpty();
  }

  @Test
  void refusesAnArtifactOverTheSizeLimitWithA413() throws Exception {
    HttpResponse<String> uploaded = upload(bytes(70_000), null);

    assertThat(uploaded.statusCode()).isEqualTo(413);
    assertThat(uploaded.body()).contains("max-size");
  }

  @Test
  void servesNothingForAnUnknownDigestOrAPathOutsideTheStore() throws Exception {
    assertThat(download("sha256:" + "0".repeat(64)).statusCode()).isEqualTo(404);
    assertThat(download("..%2F..%2Fetc%2Fpasswd").statusCode()).isBetween(400, 404);
    assertThat(download("sha256:..").statusCode()).isEqualTo(404);
  }

  @Test
  void aModelCannotNameAnArtifactNobodyUploaded() {
    AdminClient.Answer added = admin.post("/admin/add_model", "{'model_name':'"
        + unique("m") + "','model_version':'1','input_type':'doubles',"
        + "'container_name':'NO_CONTAINER','model_data_path':'sha256:" + "1".repeat(64) + "'}");

    assertThat(added.status()).isEqualTo(400);
    assertThat(added.cause()).contains("upload it first");
  }

  @Test
  void deletingTheLastVersionThatUsesAnArtifactDeletesIt() throws Exception {
    byte[] bytes = bytes(500);
    String digest = "sha256:" + sha256(bytes);
    upload(bytes, null);
    String model = unique("m");
    for (String version : new String[] {"1", "2"}) {
      assertThat(admin.post("/admin/add_model", "{'model_name':'" + model + "','model_version':'"
          + version + "','input_type':'doubles','container_name':'NO_CONTAINER',"
          + "'model_data_path':'" + digest + "'}").status()).isEqualTo(200);
    }

    admin.post("/admin/delete_versioned_model", "{'model_name':'" + model + "','model_version':'1'}");
    assertThat(download(digest).statusCode()).isEqualTo(200);  // version 2 still uses it
    admin.post("/admin/delete_versioned_model", "{'model_name':'" + model + "','model_version':'2'}");
    assertThat(download(digest).statusCode()).isEqualTo(404);
  }

  private HttpResponse<String> upload(byte[] bytes, String sha256) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri("/admin/upload_artifact"))
        .header("Content-Type", "application/octet-stream")
        .POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
    if (sha256 != null) {
      request.header("X-Artifact-Sha256", sha256);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<byte[]> download(String digest) throws Exception {
    return http.send(HttpRequest.newBuilder(uri("/admin/artifacts/" + digest)).GET().build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  private static byte[] bytes(int size) {
    byte[] bytes = new byte[size];
    new Random(size).nextBytes(bytes);
    return bytes;
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Path temporaryDirectory() {
    try {
      return Files.createTempDirectory("artifact-api-test");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
