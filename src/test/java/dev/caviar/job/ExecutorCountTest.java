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
 * The same seed gives the same study under {@code local[1]} and {@code local[2]}. One JVM holds one
 * SparkContext, so each master runs in a JVM of its own, started like the command line is.
 */
@Tag("spark")
@Tag("slow")
class ExecutorCountTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  private Path run(String master, Path conf) throws IOException, InterruptedException {
    Path out = tmp.resolve(master.replaceAll("[^a-z0-9]", ""));
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
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(tmp.resolve(out.getFileName() + ".log").toFile())
            .start();
    assertTrue(p.waitFor(5, TimeUnit.MINUTES), master + " did not finish in 5 minutes");
    assertEquals(0, p.exitValue(), Files.readString(tmp.resolve(out.getFileName() + ".log")));
    return out;
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
            "study { name = cores, seed = 9, rounds = [{ trials = 6, epochs = 1 }, { trials = 3,"
                + " epochs = 2 }] }",
            "data { source = synthetic, synthetic { rows = 3000, features = 10, classes = 3 } }",
            "model { layers = 1 }",
            "space {",
            "  learningRate { scale = log, low = 1e-3, high = 1e-1 }",
            "  units { scale = intLog, low = 8, high = 64 }",
            "}",
            // No execution.shards: the default follows the rows, not the cores.
            "execution { layout = sharded, replicas = 2 }"));
    Path one = run("local[1]", conf);
    Path two = run("local[2]", conf);
    for (int r = 0; r < 2; r++) {
      Path a = one.resolve(String.format("rounds/round-%03d", r));
      Path b = two.resolve(String.format("rounds/round-%03d", r));
      assertEquals(
          Files.readString(a.resolve("trials.csv")), Files.readString(b.resolve("trials.csv")));
      assertEquals(replicates(a), replicates(b));
    }
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
