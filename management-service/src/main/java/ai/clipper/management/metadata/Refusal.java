package ai.clipper.management.metadata;

import java.util.List;
import java.util.Optional;

/**
 * Why a checked metadata write wrote nothing, found in the same atomic step as the write would
 * have been: the service that asked turns it into the API's answer.
 *
 * @param subject the app, model name, model version or replica the refusal is about
 * @param inputType for {@link Reason#INCOMPATIBLE_INPUT_TYPE}, the other side's input type
 */
public record Refusal(Reason reason, String subject, String inputType) {

  /** The scripts' refusals, by the names they answer. */
  public enum Reason {
    NO_APP, NO_MODEL, NO_REPLICA, EXISTS, INCOMPATIBLE_INPUT_TYPE, ALREADY_LINKED, NOT_LINKED,
    LAUNCHED, STALE
  }

  /** Reads a checked script's answer: empty for {@code {'OK'}}, else the refusal. */
  static Optional<Refusal> of(List<?> answer) {
    String reason = String.valueOf(answer.get(0));
    if ("OK".equals(reason)) {
      return Optional.empty();
    }
    return Optional.of(new Refusal(Reason.valueOf(reason), String.valueOf(answer.get(1)),
        answer.size() > 2 ? String.valueOf(answer.get(2)) : ""));
  }
}
