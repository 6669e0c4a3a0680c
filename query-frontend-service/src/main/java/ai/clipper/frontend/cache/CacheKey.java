package ai.clipper.frontend.cache;

import ai.clipper.frontend.input.QueryInput;
import ai.clipper.metadata.ModelId;

/**
 * What a cached output answers: a model version and the full input, compared in full (Clipper
 * keys by a 64-bit hash alone, so a collision there answers a wrong output). The key holds the
 * parsed input itself, which nothing mutates once parsed, rather than a copy of its bytes: one
 * decode per query, not two. The input's kind is part of its equality, so a doubles input never
 * answers an ints one.
 */
final class CacheKey {

  private final ModelId model;
  private final QueryInput input;
  private final int hash;

  private CacheKey(ModelId model, QueryInput input) {
    this.model = model;
    this.input = input;
    this.hash = model.hashCode() * 31 + input.hashCode();
  }

  static CacheKey of(ModelId model, QueryInput input) {
    return new CacheKey(model, input);
  }

  /** The bytes this key holds, roughly, for the cache's byte bound. */
  long weight() {
    return input.bytes() + model.name().length() + model.version().length();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof CacheKey key && hash == key.hash && model.equals(key.model)
        && input.equals(key.input);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public String toString() {
    return "CacheKey[" + model + ", " + input.type() + ", " + weight() + " bytes]";
  }
}
