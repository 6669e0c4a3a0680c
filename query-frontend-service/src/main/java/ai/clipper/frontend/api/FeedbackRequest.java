package ai.clipper.frontend.api;

/**
 * A parsed update: feedback that {@code label} is the right answer for {@code input}.
 *
 * @param input as the Java type the SDK encodes, like a predict input
 * @param uid whose selection state learns from it (0, the shared state, by default)
 */
record FeedbackRequest(Object input, int uid, double label) {
}
