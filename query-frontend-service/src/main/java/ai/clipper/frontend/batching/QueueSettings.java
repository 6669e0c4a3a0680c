package ai.clipper.frontend.batching;

import ai.clipper.sdk.InputType;
import java.time.Duration;

/**
 * How one model version is batched, derived from the metadata snapshot so that every frontend
 * agrees.
 *
 * @param inputType how its inputs are encoded
 * @param maxBatchSize the largest batch: the model's fixed batch_size, else the configured cap
 * @param maxWait how long a partial batch may wait to fill (the model's batch_wait_micros)
 * @param latencyBudget the batch latency the AIMD sizer aims under (a fraction of the smallest
 *     SLO of the apps linked to the model)
 */
record QueueSettings(InputType inputType, int maxBatchSize, Duration maxWait,
    Duration latencyBudget) {
}
