package ai.clipper.management.artifacts;

import java.util.regex.Pattern;

/**
 * A stored model artifact, named by its content: {@code sha256:<64 hex>}.
 *
 * @param digest {@code sha256:} and the hex SHA-256 of the bytes
 * @param size the number of bytes
 */
public record Artifact(String digest, long size) {

  private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");

  /** Whether {@code text} names an artifact: {@code sha256:} and 64 lowercase hex digits. */
  public static boolean isDigest(String text) {
    return text != null && DIGEST.matcher(text).matches();
  }
}
