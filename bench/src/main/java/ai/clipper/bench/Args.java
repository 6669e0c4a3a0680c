package ai.clipper.bench;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** {@code --key value} command-line flags, with defaults. */
final class Args {

  private final Map<String, String> values = new HashMap<>();

  Args(String[] args, int from) {
    for (int i = from; i < args.length; i++) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException("expected --key value, got " + args[i]);
      }
      values.put(args[i].substring(2), args[++i]);
    }
  }

  boolean has(String key) {
    return values.containsKey(key);
  }

  String get(String key) {
    String value = values.get(key);
    if (value == null) {
      throw new IllegalArgumentException("missing --" + key);
    }
    return value;
  }

  String get(String key, String fallback) {
    return values.getOrDefault(key, fallback);
  }

  int getInt(String key, int fallback) {
    return has(key) ? Integer.parseInt(get(key)) : fallback;
  }

  double getDouble(String key, double fallback) {
    return has(key) ? Double.parseDouble(get(key)) : fallback;
  }

  Duration getDuration(String key, String fallback) {
    return duration(get(key, fallback));
  }

  /** {@code 500ms}, {@code 2s}, {@code 2.5s}, {@code 1m}; a bare number is seconds. */
  static Duration duration(String text) {
    String t = text.trim();
    if (t.endsWith("ms")) {
      return Duration.ofNanos(Math.round(Double.parseDouble(t.substring(0, t.length() - 2)) * 1e6));
    }
    if (t.endsWith("m")) {
      return Duration.ofNanos(Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 60e9));
    }
    if (t.endsWith("s")) {
      t = t.substring(0, t.length() - 1);
    }
    return Duration.ofNanos(Math.round(Double.parseDouble(t) * 1e9));
  }
}
