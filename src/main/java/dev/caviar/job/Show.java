package dev.caviar.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.caviar.report.StudyDirectory;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code caviar show DIR}: a study's rounds and best configuration, without starting Spark. */
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
    if (!dir.exists("config.conf")) {
      throw new IllegalArgumentException(
          directory + ": not a Caviar study directory (no config.conf)");
    }
    if (json) {
      if (!dir.exists("best.json")) {
        throw new IllegalArgumentException(
            directory + ": the study has no best.json yet (unfinished; resume it with --resume)");
      }
      out.print(dir.readText("best.json"));
      out.flush();
      return 0;
    }
    List<Integer> rounds = dir.completeRounds();
    out.printf(Locale.ROOT, "study %s: %d complete round(s)%n", dir.root(), rounds.size());
    out.printf(
        Locale.ROOT,
        "%-6s %-7s %-7s %-9s %-7s %-10s %-10s %-7s %-9s%n",
        "round",
        "epochs",
        "trials",
        "diverged",
        "failed",
        "best",
        "median",
        "busy",
        "driver");
    for (int r : rounds) {
      JsonNode trials = JSON.readTree(dir.readText(dir.roundPath(r) + "/trials.json"));
      int diverged = 0;
      int failed = 0;
      double[] means = new double[trials.size()];
      int ok = 0;
      int epochs = 0;
      for (JsonNode t : trials) {
        epochs = t.path("epochs").asInt();
        switch (t.path("status").asText()) {
          case "OK" -> means[ok++] = t.path("mean").asDouble();
          case "DIVERGED" -> diverged++;
          default -> failed++;
        }
      }
      java.util.Arrays.sort(means, 0, ok);
      boolean loss = trials.size() > 0 && "loss".equals(trials.get(0).path("metric").asText());
      String timingFile = dir.roundPath(r) + "/timing.json";
      JsonNode timing = dir.exists(timingFile) ? JSON.readTree(dir.readText(timingFile)) : null;
      out.printf(
          Locale.ROOT,
          "%-6d %-7d %-7d %-9d %-7d %-10s %-10s %-7s %-9s%n",
          r + 1,
          epochs,
          trials.size(),
          diverged,
          failed,
          ok == 0 ? "-" : String.format(Locale.ROOT, "%.4f", loss ? means[0] : means[ok - 1]),
          ok == 0 ? "-" : String.format(Locale.ROOT, "%.4f", means[ok / 2]),
          timing == null
              ? "-"
              : String.format(Locale.ROOT, "%.0f%%", 100 * timing.path("busyFraction").asDouble()),
          timing == null ? "-" : timing.path("driverMillis").asLong() + " ms");
    }
    if (dir.exists("best.json")) {
      JsonNode best = JSON.readTree(dir.readText("best.json"));
      out.printf(
          Locale.ROOT,
          "best: trial %d %s%nfinal: test accuracy %.4f (%s)%n",
          best.path("best").path("trial").asInt(),
          best.path("configuration"),
          best.path("final").path("testAccuracy").asDouble(),
          best.path("final").path("model").asText());
    } else {
      out.println("no best.json: the study has not finished (tune --resume continues it)");
    }
    out.flush();
    return 0;
  }
}
