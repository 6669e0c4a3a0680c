package ai.clipper.frontend.batching;

/** A query's deadline passed while it waited, so it was dropped before being sent. */
public final class QueryExpiredException extends QueryFailure {

  public QueryExpiredException() {
    super("The query's deadline passed before a replica was free");
  }

  @Override
  public boolean isLateness() {
    return true;
  }
}
