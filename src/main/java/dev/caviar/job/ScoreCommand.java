package dev.caviar.job;

import dev.caviar.watch.Scoring;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code caviar score}: a published model applied to unlabelled rows, static or streaming. */
@Command(
    name = "score",
    mixinStandardHelpOptions = true,
    description = {
      "Applies a model (a model directory, or a watch's models/CURRENT) to unlabelled rows",
      "and writes them with their probability and prediction columns as Parquet. The features",
      "are --features-column, or every numeric column in order. With --stream the input is a",
      "directory files arrive in, scored as they come (Structured Streaming)."
    })
final class ScoreCommand implements Callable<Integer> {
  @Option(names = "--model", paramLabel = "PATH", required = true, description = "the model")
  String model;

  @Option(names = "--in", paramLabel = "PATH", required = true, description = "the input")
  String in;

  @Option(names = "--out", paramLabel = "DIR", required = true, description = "output (Parquet)")
  String out;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      defaultValue = "parquet",
      description = "the input's format: parquet or csv (with a header); default ${DEFAULT-VALUE}")
  String format;

  @Option(
      names = "--features-column",
      paramLabel = "NAME",
      description = "a vector column of the input; default: every numeric column")
  String featuresColumn;

  @Option(names = "--stream", description = "score files as they arrive in --in")
  boolean stream;

  @Option(names = "--once", description = "with --stream: stop after the files present now")
  boolean once;

  @CommandLine.Spec CommandLine.Model.CommandSpec command;

  @Override
  public Integer call() {
    Scoring.Request request =
        new Scoring.Request(model, in, out, format, featuresColumn, stream, once);
    PrintWriter console = command.commandLine().getOut();
    boolean borrowed = SparkSession.getDefaultSession().isDefined();
    SparkSession spark = Caviar.session("score");
    try {
      long rows = Scoring.run(spark, request);
      console.println(
          rows >= 0 ? "scored " + rows + " rows into " + out : "stream stopped; output: " + out);
      console.flush();
      return 0;
    } finally {
      if (!borrowed) {
        spark.stop();
      }
    }
  }
}
