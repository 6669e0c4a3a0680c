package ai.clipper.frontend.query;

import ai.clipper.frontend.input.QueryInput;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What one request asks of an app, whatever API it came through.
 *
 * @param inputs the inputs, of the app's input type; never mutated after parsing
 * @param version the model version the client asked for, if any
 * @param uid the user or context id whose selection state is used (0: the shared one)
 * @param arrival when the request arrived: the SLO clock starts here, before the body is parsed
 * @param timeout how long the client will wait, if it said (a V2 {@code timeout} parameter, a
 *     gRPC deadline); it shortens the app's SLO for this request, never lengthens it
 */
public record Query(List<QueryInput> inputs, Optional<String> version, int uid, Instant arrival,
    Optional<Duration> timeout) {

  public Query {
    inputs = List.copyOf(inputs);
  }

  /** A query that waits as long as the app's SLO. */
  public Query(List<QueryInput> inputs, Optional<String> version, int uid, Instant arrival) {
    this(inputs, version, uid, arrival, Optional.empty());
  }
}
