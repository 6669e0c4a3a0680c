package ai.clipper.frontend.api;

import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.json.JsonMapper;

/**
 * Clipper re-parses a model's output string as JSON: {@code "1"} answers the number 1,
 * {@code "[1,2]"} an array, and anything that is not exactly one JSON value stays a string.
 * Here the string is only checked, not parsed into a tree: a valid one is written as it is.
 */
@Component
class OutputJson {

  private final JsonMapper mapper;

  OutputJson(JsonMapper mapper) {
    this.mapper = mapper;
  }

  /** Whether {@code output} is one JSON value, with nothing after it. */
  boolean isJson(String output) {
    if (isNumber(output)) {
      return true;
    }
    try (JsonParser parser = mapper.createParser(output)) {
      if (parser.nextToken() == null) {
        return false;
      }
      parser.skipChildren();
      return parser.nextToken() == null;
    } catch (JacksonException notJson) {
      return false;
    }
  }

  /** JSON's number grammar, {@code -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?}, by hand. */
  static boolean isNumber(String s) {
    int n = s.length();
    int i = 0;
    if (i < n && s.charAt(i) == '-') {
      i++;
    }
    if (i < n && s.charAt(i) == '0') {
      i++;
    } else {
      int start = i;
      while (i < n && isDigit(s.charAt(i))) {
        i++;
      }
      if (i == start) {
        return false;
      }
    }
    if (i < n && s.charAt(i) == '.') {
      int start = ++i;
      while (i < n && isDigit(s.charAt(i))) {
        i++;
      }
      if (i == start) {
        return false;
      }
    }
    if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
      i++;
      if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
        i++;
      }
      int start = i;
      while (i < n && isDigit(s.charAt(i))) {
        i++;
      }
      if (i == start) {
        return false;
      }
    }
    return i == n;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }
}
