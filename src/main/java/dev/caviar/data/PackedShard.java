package dev.caviar.data;

import java.io.Serializable;
import java.util.Arrays;

/**
 * One shard of standardised rows in flat primitive arrays, packed once and cached, so that training
 * reads contiguous memory and a task ships nothing but this object's reference.
 *
 * <p>The arrays are owned by the shard and returned without copying (they can hold hundreds of
 * megabytes): callers must not modify them.
 *
 * @param index the shard's index, {@code 0..S-1}; {@link #WHOLE} for the set of all training rows
 *     or the test set
 * @param width features per row
 * @param classes number of classes; every label is in {@code 0..classes-1}
 * @param features row-major, {@code rows * width} standardised values
 * @param labels one class per row
 * @param trainRows indices of the rows to train on, ascending
 * @param validationRows indices of the rows to score on, ascending (for the test set: every row)
 * @param ids each row's stable id, ascending
 */
public record PackedShard(
    int index,
    int width,
    int classes,
    float[] features,
    int[] labels,
    int[] trainRows,
    int[] validationRows,
    long[] ids)
    implements Serializable {

  /** The index of a packed set that is not one shard: all training rows, or the test set. */
  public static final int WHOLE = -1;

  public PackedShard {
    if (!(index >= WHOLE)) {
      throw new IllegalArgumentException("packedShard.index: must be >= -1, got " + index);
    }
    if (!(width >= 1)) {
      throw new IllegalArgumentException("packedShard.width: must be >= 1, got " + width);
    }
    if (!(classes >= 2)) {
      throw new IllegalArgumentException("packedShard.classes: must be >= 2, got " + classes);
    }
    int rows = labels.length;
    if (ids.length != rows || (long) features.length != (long) rows * width) {
      throw new IllegalArgumentException(
          "packedShard: "
              + rows
              + " labels need "
              + rows
              + " ids and "
              + (long) rows * width
              + " features, got "
              + ids.length
              + " and "
              + features.length);
    }
    for (int r = 0; r < rows; r++) {
      if (!(labels[r] >= 0 && labels[r] < classes)) {
        throw new IllegalArgumentException(
            "packedShard.labels: row "
                + r
                + " must be in 0.."
                + (classes - 1)
                + ", got "
                + labels[r]);
      }
    }
    checkIndices("trainRows", trainRows, rows);
    checkIndices("validationRows", validationRows, rows);
  }

  private static void checkIndices(String name, int[] indices, int rows) {
    for (int i = 0; i < indices.length; i++) {
      if (!(indices[i] >= 0 && indices[i] < rows) || (i > 0 && !(indices[i] > indices[i - 1]))) {
        throw new IllegalArgumentException(
            "packedShard."
                + name
                + ": must be ascending indices in 0.."
                + (rows - 1)
                + ", got "
                + indices[i]
                + " at position "
                + i);
      }
    }
  }

  /** Number of rows (training and validation). */
  public int rows() {
    return labels.length;
  }

  /** The size of the packed arrays in bytes: what it costs to cache or broadcast this shard. */
  public long bytes() {
    return 4L * features.length
        + 4L * labels.length
        + 8L * ids.length
        + 4L * trainRows.length
        + 4L * validationRows.length;
  }

  /** The same rows with every row marked for training: the final retraining on all the data. */
  public PackedShard allRowsTraining() {
    int[] all = new int[rows()];
    Arrays.setAll(all, i -> i);
    return new PackedShard(index, width, classes, features, labels, all, new int[0], ids);
  }

  /** Equal when every array holds the same values: packing is deterministic, and tests say so. */
  @Override
  public boolean equals(Object o) {
    return o instanceof PackedShard p
        && index == p.index
        && width == p.width
        && classes == p.classes
        && Arrays.equals(features, p.features)
        && Arrays.equals(labels, p.labels)
        && Arrays.equals(trainRows, p.trainRows)
        && Arrays.equals(validationRows, p.validationRows)
        && Arrays.equals(ids, p.ids);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * index + Arrays.hashCode(ids)) + Arrays.hashCode(labels);
  }

  @Override
  public String toString() {
    return "PackedShard[index="
        + index
        + ", rows="
        + rows()
        + ", train="
        + trainRows.length
        + ", validation="
        + validationRows.length
        + ", width="
        + width
        + ", classes="
        + classes
        + "]";
  }
}
