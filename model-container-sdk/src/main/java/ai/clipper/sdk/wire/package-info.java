/**
 * The container contract's wire codec: how a batch of Java inputs ({@code double[]},
 * {@code float[]}, {@code int[]}, {@code byte[]}, {@code String}) maps onto
 * {@code container.proto}'s packed messages and back. Public and stable, so that the query
 * frontend and any other caller of a model container encode batches exactly as containers decode
 * them.
 */
package ai.clipper.sdk.wire;
