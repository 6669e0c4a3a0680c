package ai.clipper.metadata;

import ai.clipper.sdk.InputType;

/**
 * An application: what clients query at {@code /{name}/predict}.
 *
 * @param cacheEnabled whether the frontends answer repeated queries from the prediction cache;
 *     stored in the app's hash so that every frontend agrees (an app opts out, e.g., when its
 *     model is not deterministic)
 * @param policy the selection policy's name ({@code single}, {@code exp3}, {@code exp4},
 *     {@code epsilon_greedy} or {@code ab})
 * @param policyParams the policy's parameters, parsed once when the app is read (validated by
 *     the management service's {@code set_selection_policy} against {@link PolicySchema})
 * @param overload what a query gets when the model cannot answer it by the SLO under load
 */
public record App(
    String name,
    InputType inputType,
    String defaultOutput,
    long latencySloMicros,
    String policy,
    boolean cacheEnabled,
    PolicyParams policyParams,
    Overload overload) {

  /** Clipper's only policy, and ours by default: the current version of the one linked model. */
  public static final String DEFAULT_POLICY = "single";

  /** An app with its policy's default parameters, answering the default when overloaded. */
  public App(String name, InputType inputType, String defaultOutput, long latencySloMicros,
      String policy, boolean cacheEnabled) {
    this(name, inputType, defaultOutput, latencySloMicros, policy, cacheEnabled,
        PolicyParams.DEFAULTS);
  }

  /** An app answering the default when overloaded. */
  public App(String name, InputType inputType, String defaultOutput, long latencySloMicros,
      String policy, boolean cacheEnabled, PolicyParams policyParams) {
    this(name, inputType, defaultOutput, latencySloMicros, policy, cacheEnabled, policyParams,
        Overload.DEFAULT_OUTPUT);
  }

  /** This app with another overload behaviour. */
  public App withOverload(Overload newOverload) {
    return new App(name, inputType, defaultOutput, latencySloMicros, policy, cacheEnabled,
        policyParams, newOverload);
  }
}
