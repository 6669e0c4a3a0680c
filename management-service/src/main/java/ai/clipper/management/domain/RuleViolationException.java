package ai.clipper.management.domain;

/** 400: a well-formed request asks what a rule forbids, e.g. to scale a self-registered model. */
public class RuleViolationException extends RuntimeException {

  public RuleViolationException(String message) {
    super(message);
  }
}
