package ai.clipper.bench;

import java.util.List;
import java.util.Locale;
import java.util.function.DoublePredicate;

/** The cells and tables every bench report prints: rates, milliseconds, targets as PASS/MISS. */
final class Markdown {

  private Markdown() {}

  /** A table with {@code header} (cells joined, alignment row from {@code align}) and rows. */
  static String table(String header, String align, List<String[]> rows) {
    StringBuilder out = new StringBuilder(header).append('\n').append(align).append('\n');
    for (String[] row : rows) {
      out.append("| ").append(String.join(" | ", row)).append(" |\n");
    }
    return out.toString();
  }

  /** The targets' table: one row per target, its measured value and its verdict. */
  static String targets(List<String[]> rows) {
    return table("| target | measured | verdict |", "|---|---|---|", rows);
  }

  /** A target's row: {@code measured} formatted, PASS when it passes {@code check}; NaN is "not measured". */
  static String[] target(String target, double measured, String format, DoublePredicate check) {
    if (Double.isNaN(measured)) {
      return new String[] {target, "not measured", "n/a"};
    }
    return new String[] {target, String.format(Locale.ROOT, format, measured),
        check.test(measured) ? "PASS" : "MISS"};
  }

  /** Requests per second, with thousands separators. */
  static String rate(double x) {
    return Double.isNaN(x) ? "-" : String.format(Locale.ROOT, "%,.0f", x);
  }

  /** Milliseconds: two decimals below 10, one above; NaN is "-". */
  static String ms(double x) {
    if (Double.isNaN(x)) {
      return "-";
    }
    return x < 10 ? String.format(Locale.ROOT, "%.2f", x) : String.format(Locale.ROOT, "%.1f", x);
  }
}
