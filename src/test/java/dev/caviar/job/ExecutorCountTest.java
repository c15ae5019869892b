package dev.caviar.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same seed gives the same study under {@code local[1]} and {@code local[2]}, early stopping's
 * STOPPED set and a round's confirmed trials included. One JVM holds one SparkContext, so each
 * master runs in a JVM of its own, started like the command line is.
 */
@Tag("spark")
@Tag("slow")
class ExecutorCountTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  /**
   * Starts {@code caviar tune} under {@code master} in a JVM of its own, writing into {@link #out}.
   */
  private Process start(String master, Path conf) throws IOException {
    Path out = out(master);
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // The test JVM's own flags: Spark's --add-opens, memory.
    cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
    // A short JVM spends most of its CPU in C2 compiling Spark's startup; C1 gives the same scores.
    cmd.add("-XX:TieredStopAtLevel=1");
    cmd.add("-Dspark.master=" + master);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(Caviar.class.getName());
    cmd.addAll(List.of("tune", "--conf", conf.toString(), "--out", out.toString()));
    return new ProcessBuilder(cmd)
        .redirectErrorStream(true)
        .redirectOutput(log(master).toFile())
        .start();
  }

  /** Waits for the run under {@code master} to end well; returns its output directory. */
  private Path finish(Process p, String master) throws IOException, InterruptedException {
    assertTrue(p.waitFor(5, TimeUnit.MINUTES), master + " did not finish in 5 minutes");
    assertEquals(0, p.exitValue(), Files.readString(log(master)));
    return out(master);
  }

  private Path out(String master) {
    return tmp.resolve(master.replaceAll("[^a-z0-9]", ""));
  }

  private Path log(String master) {
    return tmp.resolve(out(master).getFileName() + ".log");
  }

  /** A replicate's record without its training time, the one field allowed to differ. */
  private static List<String> replicates(Path round) throws IOException {
    List<String> out = new ArrayList<>();
    for (String line : Files.readAllLines(round.resolve("replicates.jsonl"))) {
      JsonNode n = JSON.readTree(line);
      ((com.fasterxml.jackson.databind.node.ObjectNode) n).remove("trainingNanos");
      out.add(n.toString());
    }
    return out;
  }

  @Test
  void oneOrTwoExecutorThreadsGiveTheSameStudy() throws Exception {
    Path conf = tmp.resolve("study.conf");
    Files.writeString(
        conf,
        String.join(
            "\n",
            // Round 1 confirms its best two trials on a third shard, round 2 stops one of its
            // three trials after its first epoch: both decisions are the same whatever the cores.
            "study { name = cores, seed = 9, rounds = [{ trials = 6, epochs = 1, confirm { top ="
                + " 2, replicates = 3 } }, { trials = 3, epochs = 2 }], stopping { rule = halving,"
                + " at = [0.5] } }",
            "data { source = synthetic, synthetic { rows = 3000, features = 10, classes = 3 } }",
            "model { layers = 1 }",
            "space {",
            "  learningRate { scale = log, low = 1e-3, high = 1e-1 }",
            "  units { scale = intLog, low = 8, high = 64 }",
            "}",
            // No execution.shards: the default follows the rows, not the cores.
            "execution { layout = sharded, replicas = 2 }"));
    // The two JVMs run side by side: each spends much of its life starting up and in the driver,
    // time the other one's tasks fill on two cores.
    Process first = start("local[1]", conf);
    Process second = start("local[2]", conf);
    Path one;
    Path two;
    try {
      one = finish(first, "local[1]");
      two = finish(second, "local[2]");
    } finally {
      first.destroyForcibly();
      second.destroyForcibly();
    }
    for (int r = 0; r < 2; r++) {
      Path a = one.resolve(String.format("rounds/round-%03d", r));
      Path b = two.resolve(String.format("rounds/round-%03d", r));
      assertEquals(
          Files.readString(a.resolve("trials.csv")), Files.readString(b.resolve("trials.csv")));
      assertEquals(replicates(a), replicates(b));
    }
    List<String> round1 = replicates(one.resolve("rounds/round-000"));
    assertEquals(6 * 2 + 2, round1.size(), "two trials confirmed on a third shard");
    java.util.Map<String, java.util.Set<String>> shards = new java.util.TreeMap<>();
    for (String line : round1) {
      JsonNode n = JSON.readTree(line);
      assertTrue(
          shards
              .computeIfAbsent(n.path("trial").asText(), k -> new java.util.TreeSet<>())
              .add(n.path("shard").asText()),
          "a trial's replicates are on distinct shards: " + line);
    }
    assertEquals(2, shards.values().stream().filter(s -> s.size() == 3).count(), shards.toString());
    assertEquals(
        2,
        replicates(one.resolve("rounds/round-001")).stream()
            .filter(l -> l.contains("\"status\":\"STOPPED\""))
            .count(),
        "one trial of round 2, on its two shards, stopped at the checkpoint");
    JsonNode x = JSON.readTree(one.resolve("best.json").toFile());
    JsonNode y = JSON.readTree(two.resolve("best.json").toFile());
    assertEquals(x.path("best"), y.path("best"));
    assertEquals(x.path("final").path("testAccuracy"), y.path("final").path("testAccuracy"));
    assertEquals(x.path("final").path("testLoss"), y.path("final").path("testLoss"));
    // The final model is a bag of shard models trained on the executors: the same members, the
    // same single and ensemble scores.
    assertEquals(x.path("final").path("single"), y.path("final").path("single"));
    assertEquals(x.path("final").path("ensemble"), y.path("final").path("ensemble"));
    assertEquals(seeds(x), seeds(y));
    JsonNode dx = JSON.readTree(one.resolve("data.json").toFile());
    JsonNode dy = JSON.readTree(two.resolve("data.json").toFile());
    assertEquals(dx.path("shards"), dy.path("shards"));
    assertEquals(dx.path("shards").asInt(), seeds(x).size());
  }

  private static List<String> seeds(JsonNode best) {
    List<String> out = new ArrayList<>();
    for (JsonNode m : best.path("final").path("members")) {
      out.add(m.path("shard").asText() + ":" + m.path("seed").asText() + ":" + m.path("rows"));
    }
    return out;
  }
}
