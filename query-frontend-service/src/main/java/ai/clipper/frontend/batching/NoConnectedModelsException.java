package ai.clipper.frontend.batching;

/** No UP replica serves the model version a query needs: the query gets the app's default. */
public final class NoConnectedModelsException extends QueryFailure {

  public NoConnectedModelsException(String message) {
    super(message);
  }
}
