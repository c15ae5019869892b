package dev.caviar.job;

import dev.caviar.report.WatchLog;
import dev.caviar.report.WatchTables.MonitorRow;
import dev.caviar.report.WatchTables.RejectedRow;
import dev.caviar.report.WatchTables.VersionRow;
import dev.caviar.spark.SparkStudy;
import dev.caviar.watch.Watch;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * The watch's console: one line per batch (rows, prequential accuracy, the model that scored it,
 * the window), one per re-tune and its published version, one per rejected file; the re-tune's
 * rounds through the study's own {@link ConsoleProgress}.
 */
final class WatchProgress implements Watch.Listener {
  private final PrintWriter out;
  private final ConsoleProgress study;

  WatchProgress(PrintWriter out) {
    this.out = out;
    this.study = new ConsoleProgress(out);
  }

  @Override
  public void started(WatchLog.State last, String input, String directory) {
    print(
        "watch: "
            + input
            + " -> "
            + directory
            + (last.batch() < 0
                ? " (new)"
                : String.format(
                    Locale.ROOT,
                    " (continuing after batch %d: %d rows, model %s)",
                    last.batch(),
                    last.rows(),
                    last.version() == 0 ? "none" : "v" + last.version())));
  }

  @Override
  public void rejected(RejectedRow row) {
    print("watch: batch " + row.batch() + ": rejected " + row.file() + ": " + row.reason());
  }

  @Override
  public void retuneStarted(
      int version, String reason, long rows, Double recentAccuracy, Double publishedAccuracy) {
    String why =
        switch (reason) {
          case "drop" ->
              String.format(
                  Locale.ROOT,
                  "accuracy %.4f fell below the published %.4f",
                  recentAccuracy,
                  publishedAccuracy);
          case "every" -> "watch.everyRows rows since the last re-tune";
          default -> "no model yet";
        };
    print(
        String.format(
            Locale.ROOT,
            "watch: re-tune for v%04d on %d rows (%s: %s)",
            version,
            rows,
            reason,
            why));
  }

  @Override
  public void retuneFailed(int version, String message) {
    print(
        "watch: re-tune for v"
            + version
            + " kept no configuration ("
            + message
            + "); the current model stays");
  }

  @Override
  public void batchDone(WatchLog.State s) {
    MonitorRow m = s.monitor();
    String score =
        m.accuracy() == null
            ? "no model yet"
            : String.format(
                Locale.ROOT,
                "prequential accuracy %.4f, loss %.4f by v%04d%s",
                m.accuracy(),
                m.loss(),
                m.version(),
                m.recentAccuracy() == null
                    ? ""
                    : String.format(Locale.ROOT, " (recent %.4f)", m.recentAccuracy()));
    print(
        String.format(
            Locale.ROOT,
            "watch: batch %d: %d rows from %d file(s)%s; %s; window %d rows",
            m.batch(),
            m.rows(),
            m.files(),
            m.rejectedFiles() == 0 ? "" : " (" + m.rejectedFiles() + " rejected)",
            score,
            m.windowRows()));
    VersionRow v = s.published();
    if (v != null) {
      print(
          String.format(
              Locale.ROOT,
              "watch: published v%04d (%s): validation %.4f, test accuracy %.4f; current model v%04d",
              v.version(),
              v.reason(),
              v.validation(),
              v.testAccuracy(),
              s.version()));
    }
  }

  @Override
  public SparkStudy.Listener study() {
    return study;
  }

  private void print(String line) {
    out.println(line);
    out.flush();
  }
}
