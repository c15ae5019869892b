package dev.caviar.watch;

import dev.caviar.spark.TunedModel;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryException;
import org.apache.spark.sql.streaming.Trigger;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * {@code caviar score}: a published model (a version directory, or {@code models/CURRENT}) applied
 * to unlabelled rows, static or streaming, with {@link TunedModel#transform}; the rows go out with
 * their probability and prediction columns as Parquet. The features are a vector column, or every
 * numeric column in order, as the watch's own Parquet and CSV inputs give them.
 */
public final class Scoring {
  private Scoring() {}

  /** The features column the model reads when the input has no vector column. */
  static final String ASSEMBLED = "_caviar_features";

  /**
   * @param model a model directory or a {@code CURRENT} pointer file
   * @param in the input (a file or directory; a directory new files arrive in when streaming)
   * @param out the output directory (Parquet)
   * @param format {@code parquet} or {@code csv} (with a header)
   * @param featuresColumn a vector column of the input; null for every numeric column
   * @param stream score the input as a stream: new files as they arrive
   * @param once when streaming, stop after the files present now (a scheduled pipeline's run)
   */
  public record Request(
      String model,
      String in,
      String out,
      String format,
      String featuresColumn,
      boolean stream,
      boolean once) {
    public Request {
      if (!format.equals("parquet") && !format.equals("csv")) {
        throw new IllegalArgumentException(
            "--format: must be parquet or csv, got '" + format + "'");
      }
    }
  }

  /** Scores; returns the rows written (-1 for a stream, which counts nothing). */
  public static long run(SparkSession spark, Request r) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    TunedModel model = TunedModel.load(resolve(r.model(), conf));
    Dataset<Row> sample = read(spark, r, null);
    Dataset<Row> input = r.stream() ? read(spark, r, sample.schema()) : sample;
    Dataset<Row> features = features(input, r.featuresColumn(), model);
    Dataset<Row> scored = model.transform(features);
    if (r.featuresColumn() == null) {
      scored = scored.drop(ASSEMBLED);
    }
    if (!r.stream()) {
      scored.write().mode(SaveMode.ErrorIfExists).parquet(r.out());
      return spark.read().parquet(r.out()).count();
    }
    try {
      StreamingQuery q =
          scored
              .writeStream()
              .format("parquet")
              .option("checkpointLocation", new Path(r.out(), "_checkpoint").toString())
              .trigger(r.once() ? Trigger.AvailableNow() : Trigger.ProcessingTime(5000))
              .start(r.out());
      q.awaitTermination();
      return -1;
    } catch (StreamingQueryException e) {
      throw new IllegalStateException("the scoring query failed: " + e.getMessage(), e);
    }
  }

  /**
   * The model a path names: a model directory as it is, or a pointer file ({@code models/CURRENT})
   * holding the name of a version next to it.
   */
  public static String resolve(String path, Configuration conf) {
    Path p = new Path(path);
    try {
      FileSystem fs = p.getFileSystem(conf);
      if (fs.getFileStatus(p).isDirectory()) {
        return path;
      }
      String name;
      try (InputStream in = fs.open(p)) {
        name = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
      }
      if (name.isEmpty() || name.contains("/")) {
        throw new IllegalArgumentException(
            "--model: "
                + path
                + " must name a version next to it (e.g. v0003), got '"
                + name
                + "'");
      }
      return new Path(p.getParent(), name).toString();
    } catch (FileNotFoundException e) {
      throw new IllegalArgumentException("--model: " + path + " does not exist", e);
    } catch (IOException e) {
      throw new UncheckedIOException("--model: cannot read " + path, e);
    }
  }

  /** The input read statically, or as a stream of the static read's schema. */
  private static Dataset<Row> read(SparkSession spark, Request r, StructType schema) {
    if (schema == null) {
      return r.format().equals("csv")
          ? spark.read().option("header", true).option("inferSchema", true).csv(r.in())
          : spark.read().parquet(r.in());
    }
    var reader = spark.readStream().schema(schema);
    return r.format().equals("csv")
        ? reader.option("header", true).csv(r.in())
        : reader.parquet(r.in());
  }

  private static Dataset<Row> features(Dataset<Row> df, String column, TunedModel model) {
    StructType schema = df.schema();
    if (column != null) {
      if (!Arrays.asList(schema.fieldNames()).contains(column)
          || !schema.apply(column).dataType().equals(SQLDataTypes.VectorType())) {
        throw new IllegalArgumentException(
            "--features-column: '"
                + column
                + "' must be a vector column of the input, got "
                + schema.simpleString());
      }
      model.setFeaturesCol(column);
      return df;
    }
    List<String> numeric = new ArrayList<>();
    for (StructField f : schema.fields()) {
      if (f.dataType() instanceof NumericType) {
        numeric.add(f.name());
      }
    }
    if (numeric.size() != model.numFeatures()) {
      throw new IllegalArgumentException(
          "--in: the model reads "
              + model.numFeatures()
              + " features, the input has "
              + numeric.size()
              + " numeric columns "
              + numeric);
    }
    model.setFeaturesCol(ASSEMBLED);
    return new VectorAssembler()
        .setInputCols(numeric.toArray(new String[0]))
        .setOutputCol(ASSEMBLED)
        .setHandleInvalid("keep")
        .transform(df);
  }
}
