package ai.clipper.metadata;

import ai.clipper.sdk.InputType;

/** An application: what clients query at {@code /{name}/predict}. */
public record App(
    String name,
    InputType inputType,
    String defaultOutput,
    long latencySloMicros,
    String policy) {

  /** Clipper's only policy, and ours by default: the current version of the one linked model. */
  public static final String DEFAULT_POLICY = "single";
}
