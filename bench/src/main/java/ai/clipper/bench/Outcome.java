package ai.clipper.bench;

/** How one query ended, as the load generator counts it. */
enum Outcome {
  /** 200 with a model's answer. */
  OK,
  /**
   * 200 with {@code "default": true} (over V2, in the response parameters): the SLO passed first,
   * the query was shed, or no model answered.
   */
  DEFAULT,
  /**
   * 503 with {@code Retry-After} (over V2 gRPC, UNAVAILABLE with {@code retry-after}): shed by an
   * app that opted for rejection ({@code "overload": "reject"}) or by a full queue.
   */
  REJECTED,
  /**
   * Any other HTTP status (400, 500, a 503 without Retry-After...), or over V2 gRPC another status
   * the server answered (INVALID_ARGUMENT, NOT_FOUND, INTERNAL...).
   */
  NON_200,
  /** No answer: a refused or dropped connection, a timeout, a gRPC error of the transport. */
  ERROR
}
