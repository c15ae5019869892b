package dev.caviar.watch;

import dev.caviar.config.WatchSpec;
import dev.caviar.report.WatchLog;
import dev.caviar.report.WatchTables.RejectedRow;
import dev.caviar.spark.SparkStudy;
import java.util.concurrent.TimeoutException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryException;
import org.apache.spark.sql.streaming.Trigger;

/**
 * {@code caviar watch}: a Structured Streaming query over the directory where labelled files arrive
 * ({@code data.path}), each micro-batch scored by the current model before it is learned
 * (prequential), added to a bounded window, and, when a rule fires, a warm re-tune on the window
 * that publishes the next model version. Exactly once across crashes: see {@link BatchStep}.
 *
 * <p>The file source sees a file once, in the order of modification time, at most {@code
 * watch.filesPerBatch} per batch, and skips names starting with {@code .} or {@code _}: a feeder
 * writes a file under such a name (or elsewhere) and renames it into place when it is whole.
 */
public final class Watch {
  private Watch() {}

  /** What the console hears. */
  public interface Listener {
    default void started(WatchLog.State last, String input, String directory) {}

    default void rejected(RejectedRow row) {}

    default void retuneStarted(
        int version, String reason, long rows, Double recentAccuracy, Double publishedAccuracy) {}

    default void retuneFailed(int version, String message) {}

    /** A batch committed; {@code state.published()} is the version it published, if any. */
    default void batchDone(WatchLog.State state) {}

    /** The listener of each re-tune's study. */
    default SparkStudy.Listener study() {
      return SparkStudy.Listener.NONE;
    }

    Listener NONE = new Listener() {};
  }

  /**
   * Runs the watch until the query stops: with {@code once}, after the files present at the start
   * are processed (a scheduled pipeline's run); otherwise until the process ends.
   *
   * @throws IllegalArgumentException for bad input: a missing input directory, a watch directory
   *     that holds another watch's configuration
   */
  public static void run(SparkSession spark, WatchSpec spec, boolean once, Listener listener) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    String input = spec.study().data().path();
    requireDirectory(input, conf);
    WatchDirectory dir = new WatchDirectory(spec.study().output().dir(), conf);
    checkConfig(dir, spec);
    BatchStep step = new BatchStep(spark, spec, dir, listener);
    WatchLog.State last = dir.last();
    // A crash after the last commit may have left its tables or pointer unwritten.
    step.materialise(last);
    listener.started(last, input, dir.root().toString());
    Dataset<Row> files =
        spark
            .readStream()
            .format("binaryFile")
            // The binary file source's fixed schema; only the path is selected, so no file's
            // content is read by the query: the study's readers read and check each file.
            .schema(
                new org.apache.spark.sql.types.StructType()
                    .add("path", org.apache.spark.sql.types.DataTypes.StringType, false)
                    .add(
                        "modificationTime",
                        org.apache.spark.sql.types.DataTypes.TimestampType,
                        false)
                    .add("length", org.apache.spark.sql.types.DataTypes.LongType, false)
                    .add("content", org.apache.spark.sql.types.DataTypes.BinaryType, true))
            .option("maxFilesPerTrigger", spec.filesPerBatch())
            .load(input)
            .select("path");
    try {
      StreamingQuery query =
          files
              .writeStream()
              .queryName("caviar-watch-" + spec.study().study().name())
              .option("checkpointLocation", dir.path(WatchDirectory.CHECKPOINT))
              .trigger(
                  once
                      ? Trigger.AvailableNow()
                      : Trigger.ProcessingTime(spec.triggerSeconds() * 1000L))
              .foreachBatch((VoidFunction2<Dataset<Row>, Long>) step::apply)
              .start();
      query.awaitTermination();
    } catch (TimeoutException e) {
      throw new IllegalStateException("the watch query did not start: " + e.getMessage(), e);
    } catch (StreamingQueryException e) {
      // The batch's own exception (a bad config found late, a bug) is the one to report.
      Throwable cause = e.getCause() == null ? e : e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException("the watch query failed: " + cause, cause);
    }
  }

  private static void requireDirectory(String input, Configuration conf) {
    try {
      Path p = new Path(input);
      if (!p.getFileSystem(conf).getFileStatus(p).isDirectory()) {
        throw new IllegalArgumentException(
            "data.path: caviar watch reads the files arriving in a directory, got the file "
                + input);
      }
    } catch (java.io.FileNotFoundException e) {
      throw new IllegalArgumentException(
          "data.path: the directory files arrive in does not exist: " + input, e);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("data.path: cannot read " + input, e);
    }
  }

  /**
   * A watch directory belongs to one watch: restarting it with another configuration would mix two
   * experiments in one monitor table. The output path itself may differ (the same directory named
   * another way).
   */
  private static void checkConfig(WatchDirectory dir, WatchSpec spec) {
    String rendered = spec.render();
    String stored = dir.readText(WatchDirectory.CONFIG);
    if (stored == null) {
      dir.writeText(WatchDirectory.CONFIG, rendered);
    } else if (!withoutOutput(stored).equals(withoutOutput(rendered))) {
      throw new IllegalArgumentException(
          "output.dir: "
              + dir.root()
              + " holds a watch with another configuration ("
              + dir.path(WatchDirectory.CONFIG)
              + "); restart it with the same one, or watch into another output.dir");
    }
  }

  private static String withoutOutput(String rendered) {
    return rendered.replaceAll("(?m)^\\s*dir\\s*=.*$", "");
  }
}
