package ai.clipper.metadata;

/** A versioned model, written {@code name:version} as Clipper does. */
public record ModelId(String name, String version) {

  @Override
  public String toString() {
    return name + ":" + version;
  }

  /** Parses {@code name:version}; names and versions never contain {@code :}. */
  public static ModelId parse(String text) {
    int colon = text.indexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException("Not a name:version model id: " + text);
    }
    return new ModelId(text.substring(0, colon), text.substring(colon + 1));
  }
}
