package ai.clipper.frontend.metrics;

/**
 * Every meter name of the query frontend, in one place: the packages that record them and the
 * {@code /metrics} report that reads them back use these, so a rename cannot split them.
 * Prometheus shows them with underscores and a unit suffix ({@code clipper_predictions_total}).
 */
public final class MeterNames {

  /** Queries answered, tagged {@code app} and {@code default}. */
  public static final String PREDICTIONS = "clipper.predictions";
  /** Defaults by {@code app} and {@code reason}. */
  public static final String DEFAULTS = "clipper.defaults";
  /** Arrival to answer of one query, per {@code app}. */
  public static final String PREDICTION_LATENCY = "clipper.prediction.latency";
  /** Per {@code model}: queries per batch sent. */
  public static final String BATCH_SIZE = "clipper.batch.size";
  public static final String QUEUE_WAIT = "clipper.queue.wait";
  /** Per {@code model}: a batch's age when sent, from its oldest query joining the queue. */
  public static final String BATCH_FORMATION = "clipper.batch.formation";
  /** Per {@code model}, tagged {@code decision} admitted, defaulted (shed) or rejected (full). */
  public static final String ADMISSION = "clipper.admission";
  /** Per {@code model} and {@code replica}: batches in flight. */
  public static final String REPLICA_IN_FLIGHT = "clipper.replica.in.flight";
  /** Per {@code model}, {@code replica} and {@code state}: 1 for the breaker's current state. */
  public static final String REPLICA_BREAKER_STATE = "clipper.replica.breaker.state";
  /** Per {@code model}: arrival to answer of the queries it answered. */
  public static final String QUERY_LATENCY = "clipper.query.latency";
  /** Per {@code app}: answers from a model within the app's SLO. */
  public static final String SLO_MET = "clipper.slo.met";
  /** Per {@code app}: its latency SLO. */
  public static final String APP_SLO = "clipper.app.slo";
  /** Per {@code model}: a batch's round trip to its replica. */
  public static final String MODEL_LATENCY = "clipper.model.latency";
  /**
   * Per {@code model}: the model's own time per batch, as its container reports it; the round
   * trip above it is the network's and the frontend's.
   */
  public static final String MODEL_COMPUTE = "clipper.model.compute";
  /** Per {@code model}: outputs the model answered. */
  public static final String MODEL_PREDICTIONS = "clipper.model.predictions";
  public static final String REPLICA_ERRORS = "clipper.replica.errors";
  public static final String REPLICAS_UP = "clipper.replicas.up";
  public static final String QUEUE_DEPTH = "clipper.queue.depth";
  /** Per {@code model}, tagged {@code result} hit or miss. */
  public static final String CACHE_REQUESTS = "clipper.cache.requests";
  public static final String CACHE_SIZE = "clipper.cache.size";
  /** Per {@code app} and {@code model}: queries the selection policy sent to the model. */
  public static final String SELECTIONS = "clipper.selections";
  public static final String FEEDBACK = "clipper.feedback";

  private MeterNames() {
  }
}
