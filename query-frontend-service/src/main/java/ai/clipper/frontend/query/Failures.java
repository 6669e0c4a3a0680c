package ai.clipper.frontend.query;

import ai.clipper.frontend.batching.InputRejectedException;
import ai.clipper.frontend.concurrent.CompletionCause;
import ai.clipper.frontend.batching.NoConnectedModelsException;
import ai.clipper.frontend.batching.QueryFailure;
import ai.clipper.frontend.batching.QueryShedException;
import ai.clipper.frontend.batching.QueueFullException;
import ai.clipper.metadata.App;
import ai.clipper.metadata.Overload;

/**
 * What a failed model call means for the query: the app's default with Clipper's explanation,
 * or, where the client must back off, an {@link OverloadedException} (503).
 */
final class Failures {

  private Failures() {
  }

  /** The default for a failed call, or an {@link OverloadedException} to answer 503. */
  static Prediction defaultFor(App app, Throwable failure) {
    Throwable error = CompletionCause.of(failure);
    if (error instanceof QueueFullException
        || (error instanceof QueryShedException && app.overload() == Overload.REJECT)) {
      throw new OverloadedException(error.getMessage());
    }
    if (error instanceof OverloadedException overloaded) {
      throw overloaded;
    }
    return Prediction.defaulted(app.defaultOutput(), reason(error), explain(error));
  }

  static Prediction.DefaultReason reason(Throwable error) {
    if (error instanceof NoConnectedModelsException) {
      return Prediction.DefaultReason.NO_MODEL;
    }
    if (error instanceof QueryShedException) {
      return Prediction.DefaultReason.SHED;
    }
    if (error instanceof QueryFailure failure && failure.isLateness()) {
      return Prediction.DefaultReason.SLO;
    }
    return Prediction.DefaultReason.MODEL_ERROR;
  }

  /** Clipper's explanation strings; a model's own failure keeps what the replica said. */
  static String explain(Throwable error) {
    return switch (reason(error)) {
      case NO_MODEL -> Prediction.NO_CONNECTED_MODELS;
      case SLO, SHED -> Prediction.SLO_MISSED;
      case MODEL_ERROR -> "Model error: " + error.getMessage();
    };
  }

  /** Whether the failure is the input's fault (the model refused it). */
  static boolean isBadInput(Throwable error) {
    return CompletionCause.of(error) instanceof InputRejectedException;
  }
}
