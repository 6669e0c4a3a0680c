package ai.clipper.management.launcher.docker;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Collects the frames of {@code docker logs} into lines: the engine cuts its stream into frames
 * wherever it likes, so a line may span frames and a frame hold several lines.
 */
final class ContainerOutput extends ResultCallback.Adapter<Frame> {

  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

  @Override
  public void onNext(Frame frame) {
    synchronized (bytes) {
      bytes.writeBytes(frame.getPayload());
    }
  }

  /** The lines received so far, without their line ends. */
  List<String> lines() {
    String text;
    synchronized (bytes) {
      text = bytes.toString(StandardCharsets.UTF_8);
    }
    return text.isEmpty() ? List.of() : List.of(text.split("\r?\n"));
  }
}
