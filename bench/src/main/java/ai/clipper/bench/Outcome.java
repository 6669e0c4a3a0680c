package ai.clipper.bench;

/** How one query ended, as the load generator counts it. */
enum Outcome {
  /** 200 with a model's answer. */
  OK,
  /** 200 with {@code "default": true}: the SLO passed first, the query was shed, or no model answered. */
  DEFAULT,
  /** 503 with {@code Retry-After}: shed by an app that opted for rejection ({@code "overload": "reject"}). */
  REJECTED,
  /** Any other HTTP status (400, 500, a 503 without Retry-After...). */
  NON_200,
  /** No answer: a refused or dropped connection, a timeout, a gRPC error. */
  ERROR
}
