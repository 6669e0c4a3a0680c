package ai.clipper.frontend.query;

import ai.clipper.frontend.input.QueryInput;
import java.time.Instant;

/**
 * Feedback that {@code label} is the right answer for {@code input}.
 *
 * @param input of the app's input type, like a query's input
 * @param uid whose selection state learns from it (0, the shared state, by default)
 * @param arrival when the request arrived: the models asked now have the app's SLO from here
 */
public record Feedback(QueryInput input, int uid, double label, Instant arrival) {
}
