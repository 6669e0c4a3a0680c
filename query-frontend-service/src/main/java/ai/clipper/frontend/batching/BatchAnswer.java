package ai.clipper.frontend.batching;

import java.util.List;

/**
 * A replica's answer to one batch.
 *
 * @param outputs one output per input, in order
 * @param computeNanos how long the model itself took, as the container measured it around its
 *     predict call; 0 when the container does not say (an older SDK, another implementation)
 * @param queueNanos how long the batch waited in the container for the batches before it
 */
public record BatchAnswer(List<String> outputs, long computeNanos, long queueNanos) {
}
