package ai.clipper.management.launcher.kubernetes;

import ai.clipper.metadata.ModelId;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/** Kubernetes names and labels of a model version's objects: DNS-1123 labels, at most 63 chars. */
final class ModelResourceNames {

  static final String PART_OF = "app.kubernetes.io/part-of";
  static final String CLIPPER = "clipper";
  static final String MODEL = "clipper.ai/model";
  static final String VERSION = "clipper.ai/version";
  private static final int MAX_LENGTH = 63;

  private ModelResourceNames() {
  }

  /** {@code clipper-model-<name>-<version>}, lowercased, cut with a short hash when too long. */
  static String of(ModelId id) {
    String name = dns1123("clipper-model-" + id.name() + "-" + id.version());
    if (name.length() <= MAX_LENGTH) {
      return name;
    }
    // two versions differing only past the cut must not share a Deployment
    String hash = sha256(id.toString()).substring(0, 8);
    return trimDashes(name.substring(0, MAX_LENGTH - hash.length() - 1)) + "-" + hash;
  }

  /**
   * A label value for a model name or version: label values allow {@code [A-Za-z0-9._-]} and 63
   * characters, so longer or stranger ones get the same safe treatment as names.
   */
  static String labelValue(String value) {
    if (value.length() <= MAX_LENGTH && value.matches("([A-Za-z0-9][A-Za-z0-9._-]*)?[A-Za-z0-9]")) {
      return value;
    }
    String safe = dns1123(value);
    String hash = sha256(value).substring(0, 8);
    return trimDashes(safe.substring(0, Math.min(safe.length(), MAX_LENGTH - 9))) + "-" + hash;
  }

  private static String dns1123(String text) {
    String lower = text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
    String trimmed = trimDashes(lower);
    return trimmed.isEmpty() ? "x" : trimmed;
  }

  private static String trimDashes(String text) {
    return text.replaceAll("^-+", "").replaceAll("-+$", "");
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
