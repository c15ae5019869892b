package dev.caviar.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code caviar feed}, {@code watch} and {@code score} on the command line, without Spark: the
 * feeder's files, and bad input refused with one line and exit code 2 before Spark starts.
 */
class WatchCliTest {
  @TempDir Path tmp;

  @Test
  void feedDropsWholeCsvFilesOfTheConfigsProblemInOrder() throws Exception {
    Path in = tmp.resolve("in");
    CaviarCliTest.Run run =
        CaviarCliTest.caviar(
            "feed",
            "--conf",
            "conf/watch.conf",
            "--files",
            "3",
            "--rows",
            "5",
            "--every",
            "0",
            "--first",
            "2",
            "data.path=\"" + in + "\"");
    assertEquals(0, run.exit(), run.err());
    try (Stream<Path> files = Files.list(in)) {
      assertEquals(
          List.of("part-00002.csv", "part-00003.csv", "part-00004.csv"),
          files.map(p -> p.getFileName().toString()).sorted().toList());
    }
    List<String> lines = Files.readAllLines(in.resolve("part-00003.csv"));
    assertEquals(6, lines.size(), "a header and 5 rows");
    assertTrue(lines.get(0).startsWith("label,x0,"), lines.get(0));
    assertEquals(11, lines.get(1).split(",").length, "a label and conf/watch.conf's 10 features");
  }

  @Test
  void aBadWatchConfigIsOneLineAndExitCode2() {
    CaviarCliTest.Run run =
        CaviarCliTest.caviar("watch", "--conf", "conf/watch.conf", "watch.drop=2");
    assertEquals(Caviar.BAD_INPUT, run.exit());
    assertEquals(1, run.err().strip().lines().count(), run.err());
    assertTrue(run.err().contains("watch.drop: must be in (0, 1), got 2"), run.err());
  }

  @Test
  void scoreNeedsAModel() {
    CaviarCliTest.Run run = CaviarCliTest.caviar("score", "--in", "x", "--out", "y");
    assertEquals(Caviar.BAD_INPUT, run.exit());
    assertTrue(run.err().contains("--model"), run.err());
    assertFalse(Files.exists(Path.of("y")));
  }
}
