package dev.caviar.data;

import dev.caviar.config.DataSpec;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * One file that arrived in a watched directory, read and checked whole by the study's own readers
 * (the {@code data} section's format, its label column and header), so that a bad file can be set
 * aside with the readers' message ({@code FILE:LINE: column 'x3': must be a finite number, got
 * NaN}) before any of its rows is scored or learned.
 */
public final class ArrivingFiles {
  /** The label column of {@link #schema()}: an integer class. */
  public static final String LABEL = "label";

  /** The features column of {@link #schema()}: a vector of raw values. */
  public static final String FEATURES = "features";

  /** The file column of {@link #schema()}: the file a row came from. */
  public static final String FILE = "file";

  /** The row column of {@link #schema()}: the row's position in its file, from 0. */
  public static final String ROW = "row";

  private ArrivingFiles() {}

  /** The checked rows of one file, persisted until the caller unpersists them. */
  public record Checked(Dataset<Row> rows, long count, int width) {}

  /** label (int), features (vector), file (string), row (long). */
  public static StructType schema() {
    return new StructType()
        .add(LABEL, DataTypes.IntegerType, false)
        .add(FEATURES, SQLDataTypes.VectorType(), false)
        .add(FILE, DataTypes.StringType, false)
        .add(ROW, DataTypes.LongType, false);
  }

  /**
   * Reads and checks one file.
   *
   * @param width the width every row must have; 0 when no row has been accepted yet
   * @param classes the classes a label may name (0..classes-1); 0 when no model fixes them yet
   * @throws DataException naming the file (and the line or row when known), the rule and the value
   */
  public static Checked read(
      SparkSession spark, DataSpec spec, String file, int width, int classes) {
    String key = "data.path";
    RawTable table =
        switch (spec.source()) {
          case CSV -> CsvReader.read(spark, key, file, spec.header(), spec.labelColumn());
          case PARQUET ->
              ParquetReader.read(spark, key, file, spec.labelColumn(), spec.featuresColumn());
          case LIBSVM ->
              LibsvmReader.read(
                  spark,
                  key,
                  file,
                  width > 0
                      ? width
                      : spec.features() > 0
                          ? spec.features()
                          : LibsvmReader.inferWidth(spark, key, file));
          default ->
              throw new IllegalArgumentException(
                  "data.source: a watched directory holds csv, libsvm or parquet files, got "
                      + spec.source().configName());
        };
    if (width > 0 && table.width() != width) {
      throw new DataException(
          file
              + ": rows must hold "
              + width
              + " features like the rows before, got "
              + table.width());
    }
    String labelName = table.labelName() == null ? "label" : table.labelName();
    JavaRDD<Row> rows =
        table
            .sourced()
            .zipWithIndex()
            .map(
                t -> {
                  Example e = t._1().example();
                  if (classes > 0 && e.label() >= classes) {
                    throw new DataException(
                        t._1().place().describe()
                            + ": "
                            + labelName
                            + ": label must be a class 0.."
                            + (classes - 1)
                            + " of the current model, got "
                            + e.label());
                  }
                  return RowFactory.create(e.label(), Vectors.dense(e.features()), file, t._2());
                });
    Dataset<Row> df = spark.createDataFrame(rows, schema()).persist(StorageLevel.MEMORY_AND_DISK());
    try {
      long count = Datasets.action(df::count);
      if (count == 0) {
        throw new DataException(file + ": no rows");
      }
      return new Checked(df, count, table.width());
    } catch (RuntimeException e) {
      df.unpersist(false);
      throw e;
    }
  }
}
