package ai.clipper.frontend.batching;

/**
 * The model's queue cannot answer a query by its deadline at the rate the model serves now, so
 * the query is answered at once instead of waiting for its deadline (admission control).
 */
public final class QueryShedException extends QueryFailure {

  public QueryShedException(String message) {
    super(message);
  }

  @Override
  public boolean isLateness() {
    return true;
  }
}
