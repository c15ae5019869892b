package dev.caviar.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.caviar.report.StudyDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shaded jar submitted through Spark's real submit path to a standalone cluster of separate
 * JVMs (a Master, two Workers, two single-core executors): the results are those of {@code
 * local[2]}, and an executor killed with SIGKILL mid-round changes nothing but the time taken.
 */
@Tag("spark")
@Tag("cluster")
class StandaloneClusterIT {
  @TempDir static Path tmp;
  static StandaloneCluster cluster;
  static SparkJvms localJvms;
  static final Map<String, Process> LOCAL_RUNS = new HashMap<>();
  static final Map<String, Map<String, String>> LOCAL = new HashMap<>();

  /**
   * The {@code local[2]} references start first and run beside the cluster's start and the first
   * cluster runs: on two cores, each JVM leaves time idle (starting up, waiting on the other side)
   * that the others fill.
   */
  @BeforeAll
  static void startCluster() throws Exception {
    localJvms = new SparkJvms();
    startLocal("sharded", 2);
    startLocal("broadcast", 1);
    cluster = new StandaloneCluster(tmp.resolve("cluster"));
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
    if (localJvms != null) {
      localJvms.close();
    }
  }

  /**
   * Two short rounds on synthetic data, the second with early stopping; the shard count is pinned
   * (its default follows the core count, which is what differs between the runs). Round 2 trains
   * long enough (a few seconds) for a kill to land inside it.
   */
  static Path conf(String layout, int replicas) throws Exception {
    Path f = tmp.resolve(layout + ".conf");
    if (Files.exists(f)) {
      return f; // written once: a local run may be reading it while a cluster run starts
    }
    Files.writeString(
        f,
        String.join(
            "\n",
            "study { name = cluster-" + layout + ", seed = 11, elite = 0.5, carry = 1",
            "  rounds = [{ trials = 4, epochs = 1 }, { trials = 4, epochs = 10 }]",
            // Round 2 stops two trials after 3 epochs: the survivors' next stage finds its paused
            // runs on the executor that trained them, or (another executor, or a killed one's)
            // trains them again from their seeds, to the same scores.
            "  stopping { rule = halving, at = [0.3] } }",
            "data { source = synthetic, testFraction = 0.2, validationFraction = 0.2",
            "  synthetic { rows = 12000, features = 16, classes = 3, difficulty = 0.3 } }",
            "model { batchNorm = true, optimizer = adam, layers = 2, batchSize = 64 }",
            "space {",
            "  learningRate { scale = log, low = 1e-3, high = 1e-1 }",
            "  units { scale = intLog, low = 16, high = 64 }",
            "}",
            "execution { layout = " + layout + ", shards = 4, replicas = " + replicas + " }",
            ""));
    return f;
  }

  static List<String> tune(Path conf, Path out) {
    return List.of("tune", "--conf", conf.toString(), "--out", out.toString());
  }

  /** Starts the same study through the same submit path with {@code --master local[2]}. */
  static void startLocal(String layout, int replicas) throws Exception {
    LOCAL_RUNS.put(
        layout,
        localJvms.submit(
            List.of("--master", "local[2]", "--conf", "spark.driver.host=127.0.0.1"),
            tune(conf(layout, replicas), tmp.resolve("local-" + layout)),
            tmp.resolve("local-" + layout + ".log")));
  }

  /** The results of the {@code local[2]} run of {@code layout}, once it has ended well. */
  static synchronized Map<String, String> local(String layout) throws Exception {
    if (!LOCAL.containsKey(layout)) {
      SparkJvms.awaitSuccess(LOCAL_RUNS.get(layout), tmp.resolve("local-" + layout + ".log"), 10);
      LOCAL.put(layout, StudyResults.of(tmp.resolve("local-" + layout).toString()));
    }
    return LOCAL.get(layout);
  }

  static Map<String, String> onCluster(String layout, int replicas, Path out) throws Exception {
    Path log = tmp.resolve(out.getFileName() + ".log");
    Process p =
        cluster.jvms().submit(cluster.submitOptions(), tune(conf(layout, replicas), out), log);
    SparkJvms.awaitSuccess(p, log, 10);
    return StudyResults.of(out.toString());
  }

  @Test
  void theShardedLayoutOnTheClusterScoresAsLocal2() throws Exception {
    Map<String, String> onCluster = onCluster("sharded", 2, tmp.resolve("cluster-sharded"));
    Map<String, String> local = local("sharded");
    assertTrue(local.containsKey("best.json"), local.keySet().toString());
    assertTrue(local.get("round-001 trials.csv").contains("STOPPED"), local.toString());
    assertEquals(local, onCluster);
  }

  @Test
  void theBroadcastLayoutOnTheClusterScoresAsLocal2() throws Exception {
    Map<String, String> onCluster = onCluster("broadcast", 1, tmp.resolve("cluster-broadcast"));
    Map<String, String> local = local("broadcast");
    assertTrue(local.containsKey("best.json"), local.keySet().toString());
    assertTrue(local.get("round-001 trials.csv").contains("STOPPED"), local.toString());
    assertEquals(local, onCluster);
  }

  @Test
  void anExecutorKilledMidRoundIsReplacedAndTheStudyEndsAsAnUninterruptedOne() throws Exception {
    Path out = tmp.resolve("cluster-killed");
    Path log = tmp.resolve("cluster-killed.log");
    int executorsBefore = cluster.executorDirs().size();
    Process driver =
        cluster.jvms().submit(cluster.submitOptions(), tune(conf("sharded", 2), out), log);

    // Round 1 written: round 2 is training. Kill an executor while it runs one of its tasks.
    StudyDirectory dir = StudyDirectory.at(out.toString(), new Configuration());
    long deadline = System.nanoTime() + Duration.ofMinutes(8).toNanos();
    ProcessHandle victim = null;
    while (victim == null && driver.isAlive() && System.nanoTime() < deadline) {
      if (Files.isDirectory(out) && dir.completeRounds().contains(0)) {
        for (ProcessHandle e : cluster.executors()) {
          if (runningTasks(e) > 0) {
            victim = e;
            break;
          }
        }
      }
      if (victim == null) {
        Thread.sleep(50);
      }
    }
    assertTrue(
        victim != null, "no executor running a task of round 2; log:\n" + SparkJvms.tail(log));
    SparkJvms.kill(victim.pid());
    assertFalse(
        dir.completeRounds().contains(1), "the kill came after round 2 had ended: not mid-round");

    SparkJvms.awaitSuccess(driver, log, 10);
    String driverLog = Files.readString(log);
    assertTrue(
        driverLog.contains("Lost executor"), "the driver saw no executor lost:\n" + driverLog);
    // The Worker started a new executor in place of the killed one.
    assertTrue(
        cluster.executorDirs().size() >= executorsBefore + 3,
        "executor directories: " + cluster.executorDirs());
    assertEquals(local("sharded"), StudyResults.of(out.toString()));
  }

  /** Tasks an executor has started and not finished, from its log in the Worker's directory. */
  private static int runningTasks(ProcessHandle executor) {
    try {
      Path cwd = Files.readSymbolicLink(Path.of("/proc", "" + executor.pid(), "cwd"));
      List<String> lines = new ArrayList<>(Files.readAllLines(cwd.resolve("stderr")));
      long started = lines.stream().filter(l -> l.contains("Running task")).count();
      long ended =
          lines.stream()
              .filter(l -> l.contains("Finished task") || l.contains("Exception in task"))
              .count();
      return (int) (started - ended);
    } catch (Exception e) {
      return 0; // starting, or gone
    }
  }
}
