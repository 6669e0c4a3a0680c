package ai.clipper.metadata;

import ai.clipper.sdk.InputType;

/**
 * An application: what clients query at {@code /{name}/predict}.
 *
 * @param cacheEnabled whether the frontends answer repeated queries from the prediction cache;
 *     stored in the app's hash so that every frontend agrees (an app opts out, e.g., when its
 *     model is not deterministic)
 */
public record App(
    String name,
    InputType inputType,
    String defaultOutput,
    long latencySloMicros,
    String policy,
    boolean cacheEnabled) {

  /** Clipper's only policy, and ours by default: the current version of the one linked model. */
  public static final String DEFAULT_POLICY = "single";
}
