package dev.caviar.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.caviar.report.StudyDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The driver killed for real: {@code caviar tune} in its own JVM, SIGKILLed (no shutdown hook, no
 * finally) during round 2 or during the final retraining, then {@code tune --resume} through the
 * command line. The study ends as an uninterrupted run and no half round is ever visible.
 */
@Tag("spark")
@Tag("cluster")
class DriverKillIT {
  @TempDir static Path tmp;
  static Path conf;
  static SparkJvms wholeJvm;
  static Process whole;
  static Map<String, String> uninterrupted;

  /**
   * Starts the uninterrupted run; the tests compare with it only after their resume, so it runs
   * beside their killed drivers, in the time those spend starting up and being waited on.
   */
  @BeforeAll
  static void startUninterrupted() throws Exception {
    conf = tmp.resolve("study.conf");
    Files.writeString(
        conf,
        String.join(
            "\n",
            "study { name = killed, seed = 23, elite = 0.5, carry = 1",
            "  rounds = [{ trials = 6, epochs = 1 }, { trials = 4, epochs = 4 },"
                + " { trials = 2, epochs = 8 }] }",
            "data { source = synthetic, testFraction = 0.2, validationFraction = 0.2",
            "  synthetic { rows = 10000, features = 16, classes = 3, difficulty = 0.3 } }",
            "model { batchNorm = true, optimizer = adam, layers = 2, batchSize = 64 }",
            "space {",
            "  learningRate { scale = log, low = 1e-3, high = 1e-1 }",
            "  units { scale = intLog, low = 16, high = 64 }",
            "}",
            "execution { layout = broadcast, shards = 2, replicas = 1 }",
            ""));
    wholeJvm = new SparkJvms();
    whole = wholeJvm.submit(local(), tune(tmp.resolve("whole"), false), tmp.resolve("whole.log"));
  }

  @AfterAll
  static void stopUninterrupted() {
    if (wholeJvm != null) {
      wholeJvm.close();
    }
  }

  static synchronized Map<String, String> uninterrupted() throws Exception {
    if (uninterrupted == null) {
      SparkJvms.awaitSuccess(whole, tmp.resolve("whole.log"), 10);
      uninterrupted = StudyResults.of(tmp.resolve("whole").toString());
      assertTrue(uninterrupted.containsKey("best.json"), uninterrupted.keySet().toString());
    }
    return uninterrupted;
  }

  static List<String> local() {
    return List.of("--master", "local[2]", "--conf", "spark.driver.host=127.0.0.1");
  }

  static List<String> tune(Path out, boolean resume) {
    return resume
        ? List.of("tune", "--resume", "--conf", conf.toString(), "--out", out.toString())
        : List.of("tune", "--conf", conf.toString(), "--out", out.toString());
  }

  @Test
  void aDriverKilledDuringRound2ResumesToTheUninterruptedResult() throws Exception {
    Path out = tmp.resolve("killed-in-round-2");
    killWhen(out, dir -> dir.completeRounds().equals(List.of(0)));
    StudyDirectory dir = StudyDirectory.at(out.toString(), new Configuration());
    assertEquals(List.of(0), dir.completeRounds(), "killed during round 2");
    assertFalse(dir.exists("best.json"));
    assertNoHalfRoundVisible(out, dir);
    resume(out);
  }

  @Test
  void aDriverKilledDuringTheFinalRetrainingResumesToTheUninterruptedResult() throws Exception {
    Path out = tmp.resolve("killed-in-final");
    killWhen(out, dir -> dir.completeRounds().equals(List.of(0, 1, 2)));
    StudyDirectory dir = StudyDirectory.at(out.toString(), new Configuration());
    assertEquals(List.of(0, 1, 2), dir.completeRounds());
    assertFalse(dir.exists("best.json"), "killed before the final model was scored");
    assertNoHalfRoundVisible(out, dir);
    resume(out);
  }

  /** Starts {@code tune} and SIGKILLs its JVM as soon as the study directory shows {@code when}. */
  private static void killWhen(Path out, Predicate<StudyDirectory> when) throws Exception {
    Path log = tmp.resolve(out.getFileName() + ".log");
    try (SparkJvms jvms = new SparkJvms()) {
      Process driver = jvms.submit(local(), tune(out, false), log);
      StudyDirectory dir = StudyDirectory.at(out.toString(), new Configuration());
      long deadline = System.nanoTime() + Duration.ofMinutes(8).toNanos();
      while (driver.isAlive() && System.nanoTime() < deadline) {
        if (Files.isDirectory(out.resolve("rounds")) && when.test(dir)) {
          SparkJvms.kill(driver.pid());
          assertEquals(137, driver.waitFor(), "SIGKILL");
          return;
        }
        Thread.sleep(20);
      }
      throw new AssertionError("the moment to kill never came; log:\n" + SparkJvms.tail(log));
    }
  }

  private static void resume(Path out) throws Exception {
    Path log = tmp.resolve(out.getFileName() + "-resume.log");
    try (SparkJvms jvms = new SparkJvms()) {
      SparkJvms.awaitSuccess(jvms.submit(local(), tune(out, true), log), log, 10);
    }
    assertEquals(uninterrupted(), StudyResults.of(out.toString()));
  }

  /** Every round directory under its final name is whole (has its marker); others are temporary. */
  private static void assertNoHalfRoundVisible(Path out, StudyDirectory dir) throws Exception {
    try (Stream<Path> rounds = Files.list(out.resolve("rounds"))) {
      for (Path r : rounds.toList()) {
        String name = r.getFileName().toString();
        if (name.startsWith("round-")) {
          assertTrue(
              Files.exists(r.resolve(StudyDirectory.MARKER)), name + " visible without its marker");
          assertTrue(dir.completeRounds().contains(Integer.parseInt(name.substring(6))), name);
        } else {
          assertTrue(name.startsWith("_"), "unexpected entry " + name);
        }
      }
    }
  }
}
