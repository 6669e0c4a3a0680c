package ai.clipper.sdk;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The type of one model input, as Clipper names it.
 *
 * <p>{@code InputType.parse("ints")} accepts Clipper's spellings ({@code i}, {@code int},
 * {@code integers}, ...), as Clipper's {@code parse_input_type} does.
 */
public enum InputType {
  BYTES("bytes"),
  INTS("ints"),
  FLOATS("floats"),
  DOUBLES("doubles"),
  STRINGS("strings");

  private static final Map<String, InputType> ALIASES = Map.ofEntries(
      Map.entry("bytes", BYTES), Map.entry("byte", BYTES), Map.entry("b", BYTES),
      Map.entry("integers", INTS), Map.entry("integer", INTS), Map.entry("ints", INTS),
      Map.entry("int", INTS), Map.entry("i", INTS),
      Map.entry("floats", FLOATS), Map.entry("float", FLOATS), Map.entry("f", FLOATS),
      Map.entry("doubles", DOUBLES), Map.entry("double", DOUBLES), Map.entry("d", DOUBLES),
      Map.entry("strings", STRINGS), Map.entry("string", STRINGS), Map.entry("str", STRINGS),
      Map.entry("strs", STRINGS), Map.entry("s", STRINGS));

  private final String clipperName;

  InputType(String clipperName) {
    this.clipperName = clipperName;
  }

  /** The canonical name used in the APIs and in Redis, e.g. {@code "doubles"}. */
  public String clipperName() {
    return clipperName;
  }

  /** Parses any of Clipper's spellings, case-insensitively; empty when the name is unknown. */
  public static Optional<InputType> parse(String name) {
    if (name == null) {
      return Optional.empty();
    }
    return Optional.ofNullable(ALIASES.get(name.trim().toLowerCase(Locale.ROOT)));
  }

  @Override
  public String toString() {
    return clipperName;
  }
}
