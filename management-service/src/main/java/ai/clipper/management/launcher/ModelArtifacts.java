package ai.clipper.management.launcher;

import ai.clipper.management.artifacts.Artifact;
import ai.clipper.management.config.ManagementProperties;
import ai.clipper.metadata.Model;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.core.env.Environment;

/**
 * How a replica of a model deployed from an uploaded artifact gets it. Such a model's
 * {@code container_name} names a framework runtime ({@code sklearn}, {@code python-closure},
 * ...) and its {@code model_data_path} the artifact's digest; the replica fetches the artifact
 * from this service over HTTP and checks it against the digest, the same way under every
 * launcher.
 *
 * @param url the base URL at which replicas reach this service
 * @param token the admin token, which a replica sends when it fetches
 * @param runtimeImagePrefix put before a runtime's name to get its image
 */
public record ModelArtifacts(String url, Optional<String> token, String runtimeImagePrefix) {

  /**
   * The settings, with {@code http://<defaultHost>:<this service's port>} as the URL unless one
   * is configured; call it once the server listens.
   */
  public static ModelArtifacts of(ManagementProperties properties, Environment environment,
      String defaultHost) {
    ManagementProperties.Artifacts artifacts = properties.artifacts();
    String url = artifacts.url().orElseGet(() ->
        "http://" + defaultHost + ":" + environment.getProperty("local.server.port", "1338"));
    return new ModelArtifacts(url.replaceAll("/+$", ""), properties.authToken(),
        artifacts.runtimeImagePrefix());
  }

  /** Whether the model is served by a framework runtime from an uploaded artifact. */
  public static boolean servesArtifact(Model model) {
    return Artifact.isDigest(model.modelDataPath());
  }

  /** The image that serves the model: its runtime's image, or its own {@code container_name}. */
  public String image(Model model) {
    return servesArtifact(model) ? runtimeImagePrefix + model.containerName()
        : model.containerName();
  }

  /** What tells a runtime where its artifact is; nothing for a model without one. */
  public Map<String, String> env(Model model) {
    Map<String, String> env = new LinkedHashMap<>();
    if (servesArtifact(model)) {
      env.put("CLIPPER_ARTIFACT_URL", url + "/admin/artifacts/" + model.modelDataPath());
      env.put("CLIPPER_ARTIFACT_DIGEST", model.modelDataPath());
      token.ifPresent(value -> env.put("CLIPPER_MANAGEMENT_AUTH_TOKEN", value));
    }
    return env;
  }
}
