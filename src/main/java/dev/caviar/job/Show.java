package dev.caviar.job;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.caviar.report.BestFile;
import dev.caviar.report.RoundFiles;
import dev.caviar.report.RoundSummary;
import dev.caviar.report.StudyDirectory;
import dev.caviar.report.StudyFiles;
import dev.caviar.report.StudyResults;
import dev.caviar.spark.RoundTiming;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code caviar show DIR}: a study's rounds and best configuration, without starting Spark. The
 * rounds' figures are the report's ({@link RoundSummary}), so both print the same median.
 */
@Command(
    name = "show",
    mixinStandardHelpOptions = true,
    description = "Prints a study's rounds and its best configuration (any Hadoop path).")
final class Show implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Parameters(paramLabel = "DIR", description = "the study's output directory")
  String directory;

  @Option(names = "--json", description = "print best.json only (for pipelines)")
  boolean json;

  @CommandLine.Spec CommandLine.Model.CommandSpec command;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = command.commandLine().getOut();
    StudyDirectory dir = StudyDirectory.at(directory, Caviar.hadoopConfiguration());
    if (!dir.exists(StudyFiles.CONFIG)) {
      throw new IllegalArgumentException(
          directory + ": not a Caviar study directory (no " + StudyFiles.CONFIG + ")");
    }
    if (json) {
      // Pipelines read only best.json: a damaged round file must not hide it.
      if (!dir.exists(StudyFiles.CONFIG)) {
        throw new IllegalArgumentException(
            directory + ": not a Caviar study directory (no " + StudyFiles.CONFIG + ")");
      }
      if (!dir.exists(BestFile.NAME)) {
        throw new IllegalArgumentException(
            directory + ": the study has no best.json yet (unfinished; resume it with --resume)");
      }
      out.print(dir.readText(BestFile.NAME));
      out.flush();
      return 0;
    }
    StudyResults study = StudyResults.read(dir);
    out.printf(Locale.ROOT, "study %s: %d complete round(s)%n", dir.root(), study.rounds().size());
    out.printf(
        Locale.ROOT,
        "%-6s %-7s %-7s %-9s %-7s %-8s %-18s %-10s %-10s %-7s %-9s%n",
        "round",
        "epochs",
        "trials",
        "diverged",
        "failed",
        "stopped",
        "replicates",
        "best",
        "median",
        "busy",
        "driver");
    for (StudyResults.RoundResults round : study.rounds()) {
      RoundSummary s = round.summary();
      // The timing is the round loop's own record (spark.RoundTiming), read back as that record.
      String timingFile = RoundFiles.path(dir, round.round(), RoundFiles.TIMING);
      RoundTiming timing =
          dir.exists(timingFile)
              ? JSON.readValue(dir.readText(timingFile), RoundTiming.class)
              : null;
      out.printf(
          Locale.ROOT,
          "%-6d %-7d %-7d %-9d %-7d %-8d %-18s %-10s %-10s %-7s %-9s%n",
          s.round() + 1,
          s.epochs(),
          s.trials(),
          s.diverged(),
          s.failed(),
          s.stopped(),
          s.replicates(),
          score(s.best()),
          score(s.median()),
          timing == null ? "-" : String.format(Locale.ROOT, "%.0f%%", 100 * timing.busyFraction()),
          timing == null ? "-" : timing.driverMillis() + " ms");
    }
    BestFile.Record best = study.best();
    if (best != null) {
      out.printf(
          Locale.ROOT,
          "best: trial %d %s%nfinal: test accuracy %.4f (%s)%n",
          best.best().trial(),
          JSON.writeValueAsString(best.configuration()),
          best.fin().testAccuracy(),
          best.fin().model());
      BestFile.Expected expected = best.expected();
      if (expected != null && Double.isFinite(expected.selectionCorrected())) {
        out.printf(
            Locale.ROOT,
            "expected: winner's validation %.4f, corrected for selection %.4f, test %s%n",
            expected.validation(),
            expected.selectionCorrected(),
            score(expected.test()));
      }
    } else {
      out.println("no best.json: the study has not finished (tune --resume continues it)");
    }
    out.flush();
    return 0;
  }

  private static String score(double v) {
    return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.4f", v);
  }
}
