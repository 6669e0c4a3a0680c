package ai.clipper.frontend.batching;

/** A query's deadline passed while it waited, so it was dropped before being sent. */
public class QueryExpiredException extends RuntimeException {

  public QueryExpiredException() {
    super("The query's deadline passed before a replica was free", null, false, false);
  }
}
