package dev.caviar.job;

import dev.caviar.config.StudyConfig;
import dev.caviar.config.WatchSpec;
import dev.caviar.watch.Watch;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code caviar watch}: the streaming re-tune over a directory of arriving labelled files. */
@Command(
    name = "watch",
    mixinStandardHelpOptions = true,
    description = {
      "Watches data.path for arriving labelled files (csv, libsvm or parquet) with Spark",
      "Structured Streaming: each micro-batch is scored by the current model before it is",
      "learned (prequential accuracy, in the monitor table), added to a bounded window, and",
      "when the accuracy drops (watch.drop), every watch.everyRows rows, or before the first",
      "model, a study re-tunes on the window and publishes models/vNNNN and models/CURRENT.",
      "Kill it at any moment and run the same command again: no batch is counted twice."
    })
final class WatchCommand implements Callable<Integer> {
  @Option(
      names = "--conf",
      paramLabel = "FILE",
      required = true,
      description = "watch config (HOCON; e.g. conf/watch.conf)")
  String conf;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "the watch directory (output.dir): checkpoint, window, models, tables")
  String out;

  @Option(
      names = "--once",
      description = "stop after the files present now (a scheduled pipeline's run)")
  boolean once;

  @Parameters(paramLabel = "key=value", arity = "0..*", description = "config overrides")
  List<String> overrides = new ArrayList<>();

  @CommandLine.Spec CommandLine.Model.CommandSpec command;

  @Override
  public Integer call() {
    List<String> all = Caviar.withOut(overrides, out);
    WatchSpec spec = StudyConfig.loadWatch(Path.of(conf), all);
    PrintWriter console = command.commandLine().getOut();
    boolean borrowed = SparkSession.getDefaultSession().isDefined();
    SparkSession spark = Caviar.session(spec.study().study().name() + " (watch)");
    try {
      Watch.run(spark, spec, once, new WatchProgress(console));
      return 0;
    } finally {
      if (!borrowed) {
        spark.stop();
      }
    }
  }
}
