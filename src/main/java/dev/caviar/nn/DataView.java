package dev.caviar.nn;

/**
 * A zero-copy view of packed examples: {@code features} row-major ({@code n x width}, which is also
 * a column-major {@code width x n} matrix with each example contiguous), {@code labels} in {@code
 * 0..C-1}, and an optional subset {@code rows} of row indices (null means all rows). A Spark shard
 * trains on its training rows and validates on its validation rows of the same arrays.
 *
 * <p>The arrays are shared, not copied: callers must not modify them while a view is in use.
 */
public record DataView(float[] features, int[] labels, int width, int[] rows) {

  public DataView {
    if (features == null || labels == null) {
      throw new IllegalArgumentException("DataView: features and labels must not be null");
    }
    if (width < 1) {
      throw new IllegalArgumentException("DataView.width: must be >= 1, got " + width);
    }
    if (features.length != (long) labels.length * width) {
      throw new IllegalArgumentException(
          String.format(
              "DataView.features: length must be labels (%d) x width (%d) = %d, got %d",
              labels.length, width, (long) labels.length * width, features.length));
    }
    if (rows != null) {
      for (int i = 0; i < rows.length; i++) {
        if (rows[i] < 0 || rows[i] >= labels.length) {
          throw new IllegalArgumentException(
              String.format(
                  "DataView.rows[%d]: must be in [0, %d), got %d", i, labels.length, rows[i]));
        }
      }
    }
  }

  /** All rows of the arrays. */
  public static DataView of(float[] features, int[] labels, int width) {
    return new DataView(features, labels, width, null);
  }

  /** The same arrays restricted to {@code subset} (indices into the arrays, not this view). */
  public DataView select(int[] subset) {
    return new DataView(features, labels, width, subset);
  }

  /** Number of examples in the view. */
  public int size() {
    return rows == null ? labels.length : rows.length;
  }

  /** Array row index of the view's {@code i}-th example. */
  public int row(int i) {
    return rows == null ? i : rows[i];
  }
}
