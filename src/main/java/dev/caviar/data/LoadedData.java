package dev.caviar.data;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;

/**
 * A study's data after {@link Datasets#load}: the cached training shards, the packed test set and
 * what the runner needs to choose a layout. Lives on the driver.
 */
public final class LoadedData {
  private final int classes;
  private final int width;
  private final long trainingRows;
  private final long validationRows;
  private final Standardizer standardizer;
  private final JavaRDD<PackedShard> shards;
  private final int[] shardRows;
  private final long packedBytes;
  private final JavaRDD<PackedShard> testParts;
  private final long testRows;
  private final String source;
  private PackedShard trainingSet;
  private PackedShard testSet;

  LoadedData(
      int classes,
      int width,
      long trainingRows,
      long validationRows,
      Standardizer standardizer,
      JavaRDD<PackedShard> shards,
      int[] shardRows,
      long packedBytes,
      JavaRDD<PackedShard> testParts,
      long testRows,
      String source) {
    this.classes = classes;
    this.width = width;
    this.trainingRows = trainingRows;
    this.validationRows = validationRows;
    this.standardizer = standardizer;
    this.shards = shards;
    this.shardRows = shardRows.clone();
    this.packedBytes = packedBytes;
    this.testParts = testParts;
    this.testRows = testRows;
    this.source = source;
  }

  /** Number of classes C; every label is in {@code 0..C-1}. */
  public int classes() {
    return classes;
  }

  /** Features per row. */
  public int width() {
    return width;
  }

  /** Rows that are not test rows: the shards' training plus validation rows. */
  public long trainingRows() {
    return trainingRows;
  }

  /** Of {@link #trainingRows()}, those marked for validation. */
  public long validationRows() {
    return validationRows;
  }

  public long testRows() {
    return testRows;
  }

  /** The scaling fitted on the training rows, to keep with a saved model. */
  public Standardizer standardizer() {
    return standardizer;
  }

  /** Number of shards S. */
  public int shardCount() {
    return shardRows.length;
  }

  /** Rows (training plus validation) in each shard, by shard index. */
  public int[] shardRows() {
    return shardRows.clone();
  }

  /**
   * The packed training shards, persisted and already computed: exactly one {@link PackedShard} in
   * each of the S partitions, partition {@code s} holding shard {@code s}.
   */
  public JavaRDD<PackedShard> shards() {
    return shards;
  }

  /** The packed size of all training shards in bytes: what broadcasting them would ship. */
  public long packedBytes() {
    return packedBytes;
  }

  /**
   * All training rows in one packed set ({@link PackedShard#WHOLE}), ordered by row id, each row
   * keeping its train or validation mark: the broadcast layout's data (what its final members train
   * on, with {@link PackedShard#allRowsTraining()}, on the executors). Collected from the cached
   * shards to the driver on first call, then kept: only for data that fits the driver (the
   * broadcast layout's bound, see docs/scaling.md).
   */
  public synchronized PackedShard trainingSet() {
    if (trainingSet == null) {
      List<PackedShard> parts = new ArrayList<>(Datasets.action(shards::collect));
      parts.sort(Comparator.comparingInt(PackedShard::index));
      trainingSet = Packing.merge(parts, width, classes);
    }
    return trainingSet;
  }

  /**
   * The test rows, scaled with the training statistics and packed where they were read, persisted
   * and computed: each part's rows are all in {@link PackedShard#validationRows()} (scored, never
   * trained on). The study scores its final model on these parts where they lie.
   */
  public JavaRDD<PackedShard> testParts() {
    return testParts;
  }

  /**
   * The test rows in one packed set ordered by row id, collected to the driver on first call: for
   * tests and small data only; a study never calls it.
   */
  public synchronized PackedShard testSet() {
    if (testSet == null) {
      testSet = Packing.merge(Datasets.action(testParts::collect), width, classes);
    }
    return testSet;
  }

  /** Where the data came from, for logs and reports. */
  public String source() {
    return source;
  }

  /** Releases the cached training shards and test parts; driver-side copies, if any, stay. */
  public void unpersist() {
    shards.unpersist(false);
    testParts.unpersist(false);
  }

  @Override
  public String toString() {
    return String.format(
        "LoadedData[%s: %d classes, width %d, %d training rows (%d validation) in %d shards,"
            + " %d test rows, %.1f MB packed]",
        source,
        classes,
        width,
        trainingRows,
        validationRows,
        shardRows.length,
        testRows,
        packedBytes / 1e6);
  }
}
