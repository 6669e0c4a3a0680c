package ai.clipper.frontend.selection;

/** The app names a policy this frontend does not know (Clipper's wording). */
public final class UnknownPolicyException extends RuntimeException {

  public UnknownPolicyException(String policy) {
    super(policy + " is an invalid selection_policy.", null, false, false);
  }
}
