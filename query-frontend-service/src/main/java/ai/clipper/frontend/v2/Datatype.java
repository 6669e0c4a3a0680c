package ai.clipper.frontend.v2;

import java.util.Arrays;
import java.util.Optional;

/**
 * The Open Inference Protocol's tensor element types, with the size of one element in raw
 * (little-endian) form and, for the integer types, the range of a value.
 */
public enum Datatype {
  BOOL(1),
  UINT8(1, 0, 0xFFL),
  UINT16(2, 0, 0xFFFFL),
  UINT32(4, 0, 0xFFFF_FFFFL),
  UINT64(8, 0, Long.MAX_VALUE),
  INT8(1, Byte.MIN_VALUE, Byte.MAX_VALUE),
  INT16(2, Short.MIN_VALUE, Short.MAX_VALUE),
  INT32(4, Integer.MIN_VALUE, Integer.MAX_VALUE),
  INT64(8, Long.MIN_VALUE, Long.MAX_VALUE),
  FP16(2),
  BF16(2),
  FP32(4),
  FP64(8),
  /** Variable-length byte strings; raw, each is a 4-byte little-endian length and the bytes. */
  BYTES(-1);

  private final int rawSize;
  private final long min;
  private final long max;
  private final boolean integer;

  Datatype(int rawSize) {
    this.rawSize = rawSize;
    this.min = 0;
    this.max = 0;
    this.integer = false;
  }

  Datatype(int rawSize, long min, long max) {
    this.rawSize = rawSize;
    this.min = min;
    this.max = max;
    this.integer = true;
  }

  /** The protocol's name, e.g. {@code "FP64"}; empty for a name it does not define. */
  public static Optional<Datatype> parse(String name) {
    return Arrays.stream(values()).filter(type -> type.name().equals(name)).findFirst();
  }

  /** Bytes per element in raw form; -1 for BYTES, whose elements carry their own length. */
  public int rawSize() {
    return rawSize;
  }

  public boolean isInteger() {
    return integer;
  }

  /** Whether an integer of this type can hold {@code value} (UINT64's top half excluded). */
  public boolean holds(long value) {
    return value >= min && value <= max;
  }
}
