package ai.clipper.bench;

/** How one query ended, as the load generator counts it. */
enum Outcome {
  /** 200 with a model's answer. */
  OK,
  /** 200 with {@code "default": true}: the SLO passed first, or no model answered. */
  DEFAULT,
  /** Any other HTTP status (400, 503...). */
  NON_200,
  /** No answer: a refused or dropped connection, a timeout, a gRPC error. */
  ERROR
}
