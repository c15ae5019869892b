package dev.caviar.data;

import static org.apache.spark.sql.functions.input_file_name;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * LIBSVM text ({@code label index:value ...}, 1-based indices) through Spark's {@code libsvm}
 * source. The training and test files must agree on the width, which Spark infers per file, so the
 * width is the larger of the two and both are read again with it ({@code numFeatures}).
 */
final class LibsvmReader {
  private LibsvmReader() {}

  /** The number of features Spark infers for one path (one pass over the file). */
  static int inferWidth(SparkSession spark, String key, String path) {
    HadoopFiles.requireExists(spark, key, path);
    Dataset<Row> df;
    try {
      df = spark.read().format("libsvm").load(path);
    } catch (UnsupportedOperationException e) {
      // Spark infers the width with a reduce, which fails this way on an empty input.
      throw new DataException(key + ": " + path + ": no rows", e);
    }
    long width = df.schema().apply("features").metadata().getLong("numFeatures");
    if (width < 1) {
      throw new DataException(key + ": " + path + ": no rows");
    }
    return Math.toIntExact(width);
  }

  static RawTable read(SparkSession spark, String key, String path, int width) {
    HadoopFiles.requireExists(spark, key, path);
    Dataset<Row> df =
        spark
            .read()
            .format("libsvm")
            .option("numFeatures", width)
            .load(path)
            .select("label", "features")
            .withColumn("file", input_file_name());
    JavaRDD<Example> rows =
        df.javaRDD()
            .map(
                row -> {
                  double[] features = ((Vector) row.get(1)).toArray();
                  double rawLabel = row.getDouble(0);
                  String file = row.getString(2);
                  int label =
                      RowRules.label(
                          rawLabel,
                          () ->
                              file
                                  + ": row with label "
                                  + rawLabel
                                  + " and features "
                                  + RowRules.preview(features));
                  RowRules.finite(
                      features,
                      () ->
                          file
                              + ": row with label "
                              + rawLabel
                              + " and features "
                              + RowRules.preview(features),
                      null);
                  return new Example(Example.contentId(label, features), label, features);
                });
    return new RawTable(rows, width, path);
  }
}
