package dev.caviar.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.caviar.cluster.SparkJvms;
import dev.caviar.nn.Model;
import dev.caviar.spark.TunedModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The watch killed for real: {@code caviar watch --once} in its own JVM, SIGKILLed (no shutdown
 * hook, no finally) in the middle of a re-tune's study, in the middle of a batch, and while a
 * version is being published, each time started again with the same command. The tables hold each
 * batch exactly once, the versions are contiguous and whole, and everything equals an uninterrupted
 * run on the same files.
 */
@Tag("spark")
@Tag("cluster")
class WatchKillIT {
  private static final List<String> LOCAL =
      List.of("--master", "local[2]", "--conf", "spark.driver.host=127.0.0.1");

  @TempDir Path tmp;

  @Test
  void aWatchKilledThreeTimesEndsAsAnUninterruptedOne() throws Exception {
    Path in = tmp.resolve("in");
    // 8 files: the first model after batch 1, a re-tune after batch 4 (600 rows), the labels
    // rotated from file 6 on, so a drop re-tune after batch 6.
    WatchStreams.feed(
        WatchStreams.spec(WatchStreams.config(in, tmp.resolve("x"), 6 * WatchStreams.ROWS, 600)),
        in,
        0,
        8);
    Path whole = tmp.resolve("whole");
    Path killed = tmp.resolve("killed");
    List<String> moments = new ArrayList<>();
    // The uninterrupted run shares nothing with the killed one but the input files: it runs beside
    // it, in the time the killed JVMs spend starting up and being waited on.
    try (SparkJvms wholeJvm = new SparkJvms()) {
      Path wholeLog = tmp.resolve("whole.log");
      Process wholeRun = wholeJvm.submit(LOCAL, watch(in, whole, "whole"), wholeLog);
      moments.add(
          run(
              in,
              killed,
              "kill-1",
              dir ->
                  Files.exists(dir.resolve("studies/v0002/config.conf"))
                      && !Files.exists(dir.resolve("studies/v0002/best.json"))));
      moments.add(
          run(in, killed, "kill-2", dir -> Files.exists(dir.resolve("window/batch-000000000005"))));
      moments.add(
          run(in, killed, "kill-3", dir -> Files.exists(dir.resolve("studies/v0003/best.json"))));
      run(in, killed, "restart", null);
      SparkJvms.awaitSuccess(wholeRun, wholeLog, 10);
    }
    // The commits on disk at each kill, for the log: where in the stream each one landed.
    System.out.println("killed with commits " + moments);

    assertEquals(tables(whole), tables(killed), "killed at: " + moments);
    assertEquals(models(whole), models(killed));
    List<Map<String, String>> monitor = WatchTest.csv(killed.resolve("monitor.csv"));
    for (int b = 0; b < monitor.size(); b++) {
      assertEquals(Long.toString(b), monitor.get(b).get("batch"), "each batch once");
    }
    assertEquals(8, monitor.size());
    try (Stream<Path> entries = Files.list(killed.resolve("models"))) {
      for (Path p : entries.toList()) {
        String name = p.getFileName().toString();
        assertTrue(
            name.equals("CURRENT")
                || name.startsWith("_")
                || name.startsWith(".")
                || (Files.isDirectory(p.resolve("metadata"))
                    && Files.isDirectory(p.resolve("data"))),
            "a version visible half-written: " + name);
      }
    }
  }

  /**
   * Runs the watch; with {@code when}, SIGKILLs it as soon as the watch directory shows it and
   * returns what was there, else waits for it to finish.
   */
  private String run(Path in, Path out, String name, Predicate<Path> when) throws Exception {
    Path log = tmp.resolve(name + ".log");
    try (SparkJvms jvms = new SparkJvms()) {
      Process p = jvms.submit(LOCAL, watch(in, out, name), log);
      if (when == null) {
        SparkJvms.awaitSuccess(p, log, 10);
        return "end";
      }
      long deadline = System.nanoTime() + Duration.ofMinutes(8).toNanos();
      while (p.isAlive() && System.nanoTime() < deadline) {
        if (when.test(out)) {
          String seen = listing(out);
          SparkJvms.kill(p.pid());
          assertEquals(137, p.waitFor(), "SIGKILL");
          return seen;
        }
        Thread.sleep(20);
      }
      throw new AssertionError(
          name + ": the moment to kill never came; log:\n" + SparkJvms.tail(log));
    }
  }

  /**
   * {@code caviar watch --once} on {@code in} into {@code out}, its config written as {@code name}.
   */
  private List<String> watch(Path in, Path out, String name) throws Exception {
    Path conf = tmp.resolve(name + ".conf");
    Files.writeString(conf, WatchStreams.config(in, out, 6 * WatchStreams.ROWS, 600));
    return List.of("watch", "--conf", conf.toString(), "--once");
  }

  private static String listing(Path out) throws Exception {
    try (Stream<Path> commits = Files.list(out.resolve("commits"))) {
      return commits.map(p -> p.getFileName().toString()).sorted().toList().toString();
    } catch (java.nio.file.NoSuchFileException e) {
      return "[]";
    }
  }

  /** The tables without their times and without the study paths' directory. */
  private static Map<String, List<Map<String, String>>> tables(Path out) throws Exception {
    Map<String, List<Map<String, String>>> t = new TreeMap<>();
    for (String name : List.of("monitor", "versions")) {
      List<Map<String, String>> rows = WatchTest.csv(out.resolve(name + ".csv"));
      for (Map<String, String> r : rows) {
        r.remove("time");
        r.computeIfPresent("study", (k, v) -> Path.of(v).getFileName().toString());
      }
      t.put(name, rows);
    }
    return t;
  }

  /**
   * Each version's networks, loaded back (the files hold a random uid and Parquet part names): a
   * hash of every member's serialised weights.
   */
  private static Map<String, Integer> models(Path out) throws Exception {
    Map<String, Integer> m = new TreeMap<>();
    // A session of its own, stopped after: the ITs share a JVM, and a session left behind would be
    // the one the next test's SparkSession.builder().getOrCreate() gets, without its settings.
    SparkSession spark =
        SparkSession.builder()
            .master("local[1]")
            .appName("watch-kill-models")
            .config("spark.ui.enabled", "false")
            .config("spark.driver.host", "127.0.0.1")
            .getOrCreate();
    try (Stream<Path> entries = Files.list(out.resolve("models"))) {
      for (Path p : entries.toList()) {
        if (p.getFileName().toString().startsWith("v")) {
          List<Integer> members = new ArrayList<>();
          for (Model network : TunedModel.load(p.toString()).members()) {
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            try (java.io.ObjectOutputStream o = new java.io.ObjectOutputStream(bytes)) {
              o.writeObject(network);
            }
            members.add(java.util.Arrays.hashCode(bytes.toByteArray()));
          }
          m.put(p.getFileName().toString(), members.hashCode());
        }
      }
    } finally {
      spark.stop();
      SparkSession.clearActiveSession();
      SparkSession.clearDefaultSession();
    }
    m.put("CURRENT", Files.readString(out.resolve("models/CURRENT")).strip().hashCode());
    return m;
  }
}
