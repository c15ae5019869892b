package dev.caviar.data;

import static org.apache.spark.sql.functions.col;

import dev.caviar.config.DataSpec;
import dev.caviar.study.Purpose;
import dev.caviar.study.Seeds;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.stat.Summarizer;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Loads a study's data: read, check, split, standardise, shard, pack and cache. */
public final class Datasets {
  private static final Logger LOG = LoggerFactory.getLogger(Datasets.class);

  /**
   * The test split ignores the study seed on purpose: every study of the same data then holds out
   * the same test rows, so test scores of different studies compare.
   */
  private static final long TEST_SPLIT_SEED = 0x7E57_5EEDL;

  private Datasets() {}

  /** {@code execution.shards = 0}: the shard count follows the data, never the cores. */
  public static final int SHARDS_FROM_DATA = 0;

  /** Rows per shard the default aims at: enough for a trial's score to mean something. */
  public static final int ROWS_PER_SHARD = 10_000;

  /**
   * The default shard count: one shard per {@value #ROWS_PER_SHARD} training rows, at least 4 (so
   * that a small sharded study still has shards to spread its trials over) and at most 4096. A pure
   * function of the row count, so that {@code local[1]}, {@code local[2]} and a cluster of any size
   * shard the same data the same way.
   */
  public static int defaultShards(long trainingRows) {
    return (int) Math.min(4096, Math.max(4, (trainingRows + ROWS_PER_SHARD - 1) / ROWS_PER_SHARD));
  }

  /**
   * Reads and prepares the data of a study. The training shards come back persisted and computed;
   * the test set comes back packed on the driver.
   *
   * @param seed the study seed; shard and validation assignments (and synthetic data) derive from
   *     it
   * @param shards the number of shards S, {@code >= 1}; {@link #SHARDS_FROM_DATA} for {@link
   *     #defaultShards}, which depends on the training row count only
   * @throws DataException for bad input (the message names the file, the row when known, the rule
   *     and the value), and when a shard would get no training or no validation rows
   */
  public static LoadedData load(SparkSession spark, DataSpec spec, long seed, int shards) {
    return load(spark, spec, null, seed, shards, spark.sparkContext().defaultParallelism());
  }

  /**
   * As {@link #load(SparkSession, DataSpec, long, int)}, the rows coming from {@code frame} when
   * {@code spec.source()} is {@code dataframe} (the rest of {@code spec}, its test and validation
   * fractions, applies as for a file): from there on a DataFrame and a file go the same way.
   *
   * @param frame the DataFrame's rows; null for the file and synthetic sources
   */
  public static LoadedData load(
      SparkSession spark, DataSpec spec, FrameSource frame, long seed, int shards) {
    return load(spark, spec, frame, seed, shards, spark.sparkContext().defaultParallelism());
  }

  static LoadedData load(
      SparkSession spark, DataSpec spec, long seed, int shards, int inputPartitions) {
    return load(spark, spec, null, seed, shards, inputPartitions);
  }

  /**
   * As {@link #load(SparkSession, DataSpec, long, int)} with the number of partitions the IDX and
   * synthetic sources are read into; the result does not depend on it (tests check that).
   */
  private static LoadedData load(
      SparkSession spark,
      DataSpec spec,
      FrameSource frame,
      long seed,
      int shards,
      int inputPartitions) {
    if (!(shards >= 1 || shards == SHARDS_FROM_DATA)) {
      throw new IllegalArgumentException(
          "shards: must be >= 1 (or 0: from the data), got " + shards);
    }
    if (!(inputPartitions >= 1)) {
      throw new IllegalArgumentException("inputPartitions: must be >= 1, got " + inputPartitions);
    }
    Split split = read(spark, spec, frame, seed, inputPartitions);
    JavaRDD<Example> train = split.train().persist(StorageLevel.MEMORY_AND_DISK());
    JavaRDD<Example> test = split.test().persist(StorageLevel.MEMORY_AND_DISK());
    try {
      return prepare(spark, spec, seed, shards, split, train, test);
    } finally {
      train.unpersist(false);
      test.unpersist(false);
    }
  }

  private static LoadedData prepare(
      SparkSession spark,
      DataSpec spec,
      long seed,
      int requestedShards,
      Split split,
      JavaRDD<Example> train,
      JavaRDD<Example> test) {
    Map<Integer, Long> trainCounts = Labels.counts(train);
    Map<Integer, Long> testCounts = Labels.counts(test);
    long trainRows = trainCounts.values().stream().mapToLong(Long::longValue).sum();
    long testRows = testCounts.values().stream().mapToLong(Long::longValue).sum();
    int shards = requestedShards == SHARDS_FROM_DATA ? defaultShards(trainRows) : requestedShards;
    if (trainRows == 0 && (!split.splitOff() || testRows == 0)) {
      throw new DataException(split.trainName() + ": no rows");
    }
    if (trainRows == 0) {
      throw new DataException(
          split.trainName()
              + ": no training rows left after splitting off data.testFraction = "
              + spec.testFraction());
    }
    if (testRows == 0) {
      throw new DataException(
          split.testName()
              + ": no test rows"
              + (split.splitOff()
                  ? " after splitting off data.testFraction = " + spec.testFraction()
                  : ""));
    }
    int classes =
        spec.source() == DataSpec.Source.SYNTHETIC
            ? spec.synthetic().classes()
            : Labels.classes(
                split.trainName(), trainCounts, split.trainSourced(), split.labelName());
    Labels.requireTrainingClasses(testCounts, classes, split.testSourced(), split.labelName());
    Standardizer standardizer = action(() -> fit(spark, train));
    Packing.Plan plan =
        new Packing.Plan(
            split.width(),
            classes,
            standardizer,
            Seeds.derive(seed, Purpose.SHARD_ASSIGNMENT, 0, 0, 0),
            Seeds.derive(seed, Purpose.DATA_SPLIT, 0, 0, 0),
            spec.validationFraction());
    JavaRDD<PackedShard> packed =
        Packing.shards(train, shards, plan).persist(StorageLevel.MEMORY_AND_DISK());
    packed.setName("caviar packed shards (" + split.trainName() + ")");
    // Computing the sizes also fills the cache: the shards are packed here, once.
    List<long[]> sizes =
        action(
            () ->
                packed
                    .map(
                        s ->
                            new long[] {
                              s.index(),
                              s.rows(),
                              s.trainRows().length,
                              s.validationRows().length,
                              s.bytes()
                            })
                    .collect());
    int[] shardRows = new int[shards];
    long validationRows = 0;
    long bytes = 0;
    for (long[] s : sizes) {
      shardRows[(int) s[0]] = (int) s[1];
      validationRows += s[3];
      bytes += s[4];
      if (s[2] == 0 || s[3] == 0) {
        packed.unpersist(false);
        throw new DataException(
            "execution.shards: shard "
                + s[0]
                + " of "
                + shards
                + " has "
                + s[2]
                + " training and "
                + s[3]
                + " validation rows ("
                + trainRows
                + " rows, data.validationFraction = "
                + spec.validationFraction()
                + "); every shard needs both: use fewer shards or more data");
      }
    }
    // The test set stays on the executors, packed and cached; it is scored where it lies.
    JavaRDD<PackedShard> testParts =
        Packing.testParts(test, defaultShards(testRows), plan)
            .persist(StorageLevel.MEMORY_AND_DISK());
    testParts.setName("caviar packed test set (" + split.testName() + ")");
    // Counting the packed rows fills the cache: the test set is packed here, once.
    long packedTestRows = action(() -> testParts.map(p -> (long) p.rows()).reduce(Long::sum));
    LoadedData data =
        new LoadedData(
            classes,
            split.width(),
            trainRows,
            validationRows,
            standardizer,
            packed,
            shardRows,
            bytes,
            testParts,
            packedTestRows,
            split.trainName());
    LOG.info("{}", data);
    return data;
  }

  /** The training and test rows before any Spark action, and the names to use in messages. */
  private record Split(
      JavaRDD<Sourced> trainSourced,
      JavaRDD<Sourced> testSourced,
      int width,
      String trainName,
      String testName,
      boolean splitOff,
      String labelName) {
    JavaRDD<Example> train() {
      return trainSourced.map(Sourced::example);
    }

    JavaRDD<Example> test() {
      return testSourced.map(Sourced::example);
    }
  }

  private static Split read(
      SparkSession spark, DataSpec spec, FrameSource frame, long seed, int partitions) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    RawTable train;
    RawTable test = null;
    if ((frame != null) != (spec.source() == DataSpec.Source.DATAFRAME)) {
      throw new DataException(
          frame == null
              ? "data.source: dataframe is the DataFrame given to CaviarTuner.fit; a study of"
                  + " files sets it to synthetic, idx, csv, libsvm or parquet"
              : "data.source: must be dataframe when a DataFrame is given, got "
                  + spec.source().configName());
    }
    switch (spec.source()) {
      case DATAFRAME -> train = frame.read();
      case SYNTHETIC -> {
        if (spec.testPath() != null) {
          LOG.warn("data.testPath is ignored for synthetic data: the test rows are split off");
        }
        train =
            SyntheticSource.read(
                jsc,
                spec.synthetic(),
                Seeds.derive(seed, Purpose.SYNTHETIC_DATA, 0, 0, 0),
                partitions);
      }
      case IDX -> {
        train =
            IdxReader.read(
                spark, "data.path", spec.path(), "data.labelsPath", spec.labelsPath(), partitions);
        if (spec.testPath() != null) {
          test =
              IdxReader.read(
                  spark,
                  "data.testPath",
                  spec.testPath(),
                  "data.testLabelsPath",
                  spec.testLabelsPath(),
                  partitions);
        }
      }
      case CSV -> {
        train = CsvReader.read(spark, "data.path", spec.path(), spec.header(), spec.labelColumn());
        if (spec.testPath() != null) {
          test =
              CsvReader.read(
                  spark, "data.testPath", spec.testPath(), spec.header(), spec.labelColumn());
        }
      }
      case LIBSVM -> {
        int width =
            spec.features() > 0
                ? spec.features()
                : LibsvmReader.inferWidth(spark, "data.path", spec.path());
        if (spec.testPath() != null) {
          if (spec.features() == 0) {
            width =
                Math.max(width, LibsvmReader.inferWidth(spark, "data.testPath", spec.testPath()));
          }
          test = LibsvmReader.read(spark, "data.testPath", spec.testPath(), width);
        }
        train = LibsvmReader.read(spark, "data.path", spec.path(), width);
      }
      case PARQUET -> {
        train =
            ParquetReader.read(
                spark, "data.path", spec.path(), spec.labelColumn(), spec.featuresColumn());
        if (spec.testPath() != null) {
          test =
              ParquetReader.read(
                  spark,
                  "data.testPath",
                  spec.testPath(),
                  spec.labelColumn(),
                  spec.featuresColumn());
        }
      }
      default -> throw new IllegalStateException("unknown source " + spec.source());
    }
    if (test == null || spec.source() == DataSpec.Source.SYNTHETIC) {
      double fraction = spec.testFraction();
      JavaRDD<Sourced> all = train.sourced();
      return new Split(
          all.filter(s -> !RowHash.below(TEST_SPLIT_SEED, s.example().id(), fraction)),
          all.filter(s -> RowHash.below(TEST_SPLIT_SEED, s.example().id(), fraction)),
          train.width(),
          train.name(),
          train.name() + " (test split)",
          true,
          train.labelName());
    }
    if (test.width() != train.width()) {
      throw new DataException(
          "data.testPath: "
              + test.name()
              + " has "
              + test.width()
              + " features per row, but data.path: "
              + train.name()
              + " has "
              + train.width());
    }
    return new Split(
        train.sourced(),
        test.sourced(),
        train.width(),
        train.name(),
        test.name(),
        false,
        train.labelName());
  }

  /** Mean and standard deviation with Spark's Summarizer, from the training rows only. */
  private static Standardizer fit(SparkSession spark, JavaRDD<Example> train) {
    StructType schema = new StructType().add("features", SQLDataTypes.VectorType(), false);
    JavaRDD<Row> rows = train.map(e -> RowFactory.create(Vectors.dense(e.features())));
    Row summary =
        spark
            .createDataFrame(rows, schema)
            .select(Summarizer.metrics("mean", "std").summary(col("features")).as("s"))
            .select("s.mean", "s.std")
            .first();
    return Standardizer.of(
        toFloatPrecision(((Vector) summary.get(0)).toArray()),
        toFloatPrecision(((Vector) summary.get(1)).toArray()));
  }

  /**
   * Spark merges partial sums in an order that depends on the partitioning and on which task ends
   * first, so the last bits of a mean vary between runs. Rounded to float precision (which is all
   * the packed features keep), the statistics are the same unless a value sits within a few double
   * ulps of a float rounding boundary, about one chance in 10^8 per feature.
   */
  private static double[] toFloatPrecision(double[] values) {
    double[] rounded = new double[values.length];
    for (int j = 0; j < values.length; j++) {
      rounded[j] = (float) values[j];
    }
    return rounded;
  }

  /**
   * Runs a Spark action and, when a task failed on bad data, rethrows the task's {@link
   * DataException} with its own message instead of Spark's "Job aborted due to stage failure".
   */
  static <T> T action(Supplier<T> action) {
    try {
      return action.get();
    } catch (Exception e) {
      // Scala code throws the checked SparkException without declaring it.
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof DataException d) {
          throw new DataException(d.getMessage(), e);
        }
      }
      throw Datasets.<RuntimeException>rethrow(e);
    }
  }

  @SuppressWarnings("unchecked")
  private static <E extends Exception> E rethrow(Exception e) throws E {
    throw (E) e;
  }
}
