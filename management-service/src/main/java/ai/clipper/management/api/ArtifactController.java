package ai.clipper.management.api;

import ai.clipper.management.artifacts.Artifact;
import ai.clipper.management.artifacts.ArtifactStore;
import ai.clipper.management.domain.NotFoundException;
import ai.clipper.management.artifacts.ArtifactTooLargeException;
import ai.clipper.management.config.ManagementProperties;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Model artifacts over HTTP: a client uploads one (the raw bytes as the body, optionally with the
 * SHA-256 it computed, which is checked), and a replica fetches it by its digest. Both need the
 * bearer token when the service has one.
 */
@RestController
@RequestMapping("/admin")
class ArtifactController {

  static final String SHA256_HEADER = "X-Artifact-Sha256";
  private static final Pattern HEX_SHA256 = Pattern.compile("[0-9a-fA-F]{64}");

  private final ArtifactStore artifacts;
  private final long maxSize;

  ArtifactController(ArtifactStore artifacts, ManagementProperties properties) {
    this.artifacts = artifacts;
    this.maxSize = properties.artifacts().maxSize().toBytes();
  }

  @Mutating
  @PostMapping("/upload_artifact")
  Artifact upload(HttpServletRequest request,
      @RequestHeader(name = SHA256_HEADER, required = false) String sha256) throws IOException {
    if (sha256 != null && !HEX_SHA256.matcher(sha256).matches()) {
      throw InvalidRequestException.invalid("Invalid " + SHA256_HEADER + " header: it takes the"
          + " 64 hex digits of the artifact's SHA-256");
    }
    if (request.getContentLengthLong() > maxSize) {
      throw new ArtifactTooLargeException(maxSize);  // before reading a byte of it
    }
    return artifacts.store(request.getInputStream(), Optional.ofNullable(sha256));
  }

  @Mutating
  @GetMapping("/artifacts/{digest}")
  ResponseEntity<Resource> download(@PathVariable String digest) {
    Path file = artifacts.file(digest).orElseThrow(() -> new NotFoundException(
        "No artifact " + digest + " (an artifact is named sha256:<64 hex digits>)"));
    return ResponseEntity.ok().contentType(MediaType.APPLICATION_OCTET_STREAM)
        .body(new FileSystemResource(file));
  }
}
