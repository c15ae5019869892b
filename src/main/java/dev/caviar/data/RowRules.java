package dev.caviar.data;

import java.util.function.Supplier;

/** The checks every row passes, whatever its source; {@code where} names the file and the row. */
final class RowRules {
  private RowRules() {}

  /** A label read as a number must be a non-negative integer (its upper bound is checked later). */
  static int label(double value, Supplier<String> where) {
    if (!(value >= 0 && value <= Integer.MAX_VALUE && value == Math.rint(value))) {
      throw new DataException(
          where.get() + ": label must be an integer class 0..C-1, got " + value);
    }
    return (int) value;
  }

  static void finite(double[] features, Supplier<String> where, Supplier<String[]> names) {
    for (int j = 0; j < features.length; j++) {
      if (!Double.isFinite(features[j])) {
        String[] n = names == null ? null : names.get();
        String column = n == null ? "feature " + j : "feature " + j + " ('" + n[j] + "')";
        throw new DataException(
            where.get() + ": " + column + " must be a finite number, got " + features[j]);
      }
    }
  }

  static void width(int actual, int expected, Supplier<String> where) {
    if (actual != expected) {
      throw new DataException(
          where.get() + ": has " + actual + " features, expected " + expected + " like the others");
    }
  }

  /** A short printable form of a row for messages. */
  static String preview(double[] features) {
    StringBuilder b = new StringBuilder("[");
    int shown = Math.min(features.length, 8);
    for (int j = 0; j < shown; j++) {
      b.append(j == 0 ? "" : ", ").append(features[j]);
    }
    return b.append(features.length > shown ? ", ... (" + features.length + " values)]" : "]")
        .toString();
  }
}
