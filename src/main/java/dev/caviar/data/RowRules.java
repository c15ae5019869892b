package dev.caviar.data;

import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * The checks every row passes, whatever its source. Messages read {@code WHERE: COLUMN: rule, got
 * value}, where {@code WHERE} names the file and the line, record or row.
 */
final class RowRules {
  private RowRules() {}

  /**
   * A label read as a number must be a non-negative integer (the label set is checked once all rows
   * are read, in {@link Labels}).
   *
   * @param where the file, the row and the label column, e.g. {@code train.csv:12: column 'y'}
   */
  static int label(double value, Supplier<String> where) {
    if (!(value >= 0 && value <= Integer.MAX_VALUE && value == Math.rint(value))) {
      throw new DataException(
          where.get() + ": label must be an integer class 0..C-1, got " + show(value));
    }
    return (int) value;
  }

  /** Every feature must be finite: a NaN or an infinity would poison the standardisation. */
  static void finite(double[] features, Supplier<String> where, IntFunction<String> column) {
    for (int j = 0; j < features.length; j++) {
      if (!Double.isFinite(features[j])) {
        throw new DataException(
            where.get()
                + ": "
                + column.apply(j)
                + ": must be a finite number, got "
                + show(features[j]));
      }
    }
  }

  /** A number written as text; {@code where} names the file, the line and the column. */
  static double number(String text, Supplier<String> where) {
    if (text == null || text.isBlank()) {
      throw new DataException(where.get() + ": must be a number, got no value");
    }
    try {
      return Double.parseDouble(text.strip());
    } catch (NumberFormatException e) {
      throw new DataException(where.get() + ": must be a number, got '" + text.strip() + "'");
    }
  }

  static void width(int actual, int expected, Supplier<String> where) {
    if (actual != expected) {
      throw new DataException(
          where.get() + ": must hold " + expected + " features like the first row, got " + actual);
    }
  }

  /** A value as a user would write it: {@code 3} rather than {@code 3.0}. */
  static String show(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }
}
