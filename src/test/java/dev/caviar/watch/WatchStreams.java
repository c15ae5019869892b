package dev.caviar.watch;

import dev.caviar.config.StudyConfig;
import dev.caviar.config.WatchSpec;
import dev.caviar.data.SyntheticFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The watch tests' stream: a small config and files of its synthetic problem dropped into an input
 * directory with strictly increasing modification times, so the file source takes them in order.
 */
public final class WatchStreams {
  private WatchStreams() {}

  /** Rows per file: one file is one micro-batch. */
  public static final int ROWS = 200;

  /**
   * The config: tiny studies (one round of a few trials), the first model after 2 files, a re-tune
   * every {@code everyRows} rows (0: never), the labels rotated after row {@code shiftAfter} (0:
   * never).
   */
  public static String config(Path in, Path out, long shiftAfter, int everyRows) {
    return String.join(
        "\n",
        "study { name = drift, seed = 5, elite = 0.5, carry = 1",
        "  rounds = [{ trials = 4, epochs = 6 }] }",
        "data { source = csv, path = \"" + in + "\", testFraction = 0.2, validationFraction = 0.2",
        "  synthetic { rows = 100000, features = 6, classes = 3, difficulty = 0,"
            + " shiftAfter = "
            + shiftAfter
            + " } }",
        "model { batchNorm = true, optimizer = adam, layers = 1, units = 32, batchSize = 32 }",
        "space { learningRate { scale = log, low = 5e-3, high = 3e-2 } }",
        "execution { layout = broadcast, shards = 2, replicas = 1 }",
        "final { models = 1 }",
        "output { dir = \"" + out + "\" }",
        "watch { windowRows = 1200, evaluateRows = 400, drop = 0.1, everyRows = " + everyRows,
        "  minRows = 400, rounds = [{ trials = 3, epochs = 6 }], filesPerBatch = 1 }",
        "");
  }

  public static WatchSpec spec(String config) {
    return StudyConfig.parseWatch(config, "watch.conf", List.of());
  }

  /** Writes files {@code [from, to)} of the spec's synthetic problem; returns their paths. */
  public static List<Path> feed(WatchSpec spec, Path in, int from, int to) throws IOException {
    Files.createDirectories(in);
    List<Path> out = new ArrayList<>();
    for (int f = from; f < to; f++) {
      out.add(
          write(
              in,
              f,
              SyntheticFiles.csv(
                  spec.study().data().synthetic(),
                  spec.study().study().seed(),
                  (long) f * ROWS,
                  (long) (f + 1) * ROWS)));
    }
    return out;
  }

  /** Writes file number {@code f} with the given text, its modification time set by its number. */
  public static Path write(Path in, int f, String text) throws IOException {
    Path p = in.resolve(String.format(Locale.ROOT, "part-%05d.csv", f));
    Files.writeString(p, text);
    Files.setLastModifiedTime(p, FileTime.fromMillis(1_700_000_000_000L + 1000L * f));
    return p;
  }

  /** Prints each batch's monitor row and version with the time since the start (the test log). */
  public static Watch.Listener printing() {
    long start = System.nanoTime();
    return new Watch.Listener() {
      @Override
      public void batchDone(dev.caviar.report.WatchLog.State s) {
        System.out.printf(
            "%6.1f s: %s%s%n",
            (System.nanoTime() - start) / 1e9,
            s.monitor(),
            s.published() == null ? "" : " -> " + s.published());
      }
    };
  }
}
