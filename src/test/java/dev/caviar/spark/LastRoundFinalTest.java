package dev.caviar.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.caviar.config.ExecutionSpec;
import dev.caviar.config.ExecutionSpec.FinalTrain;
import dev.caviar.config.ExecutionSpec.Layout;
import dev.caviar.data.Datasets;
import dev.caviar.data.LoadedData;
import dev.caviar.data.PackedShard;
import dev.caviar.nn.DataView;
import dev.caviar.nn.Model;
import dev.caviar.report.StudyDirectory;
import dev.caviar.study.ReplicateScore;
import dev.caviar.study.RoundRecord;
import dev.caviar.study.Status;
import dev.caviar.study.TrialResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code final.train = lastRound}: the final model is the last round's best networks, taken as they
 * came back with the round (no training after the rounds), and the same networks again after a
 * resume that found the last round on disk but not its networks.
 */
@Tag("spark")
class LastRoundFinalTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  private static SparkStudy.Setup setup(String out, Layout layout, int replicas) {
    return setup(out, new ExecutionSpec(layout, 2, replicas, 64, 2, FinalTrain.LAST_ROUND));
  }

  /** SparkStudyTest's study with its own execution (and final) section. */
  static SparkStudy.Setup setup(String out, ExecutionSpec execution) {
    SparkStudy.Setup s = SparkStudyTest.setup(out, execution.layout(), execution.replicas());
    return new SparkStudy.Setup(
        s.settings(), s.space(), s.model(), s.data(), execution, out, s.resolvedConfig());
  }

  /** The OK replicates of the last round's best two trials, best trial first, in shard order. */
  static List<ReplicateScore> expectedMembers(RoundRecord last) {
    List<ReplicateScore> out = new ArrayList<>();
    for (TrialResult r : FinalModel.topTrials(last, 2)) {
      r.replicates().stream().filter(x -> x.status() == Status.OK).forEach(out::add);
    }
    return out;
  }

  @Test
  void theFinalModelIsTheLastRoundsBestNetworksAndAResumeRebuildsTheSame() throws Exception {
    SparkSession spark = SharedSpark.session();
    String out = tmp.resolve("last-round").toString();
    SparkStudy.Outcome o =
        SparkStudy.run(spark, setup(out, Layout.BROADCAST, 1), false, SparkStudy.Listener.NONE);
    RoundRecord last = o.study().history().get(o.study().history().size() - 1);
    List<ReplicateScore> expected = expectedMembers(last);
    assertEquals(2, expected.size(), "two OK trials in the last round: " + last.results());
    assertEquals(o.best().winner().trial().number(), expected.get(0).trial());

    StudyDirectory dir = StudyDirectory.at(out, new Configuration());
    JsonNode fin = JSON.readTree(dir.readText("best.json")).path("final");
    assertEquals("last round", fin.path("kind").asText());
    assertEquals("ensemble", fin.path("saved").asText());
    JsonNode members = fin.path("members");
    assertEquals(expected.size(), members.size(), members.toString());
    for (int i = 0; i < expected.size(); i++) {
      assertEquals("trial", members.get(i).path("role").asText());
      assertEquals(expected.get(i).trial(), members.get(i).path("index").asInt());
      assertEquals(expected.get(i).seed(), members.get(i).path("seed").asLong());
    }

    // The saved networks are the round's: scored on the validation rows they were chosen on, each
    // gives back the validation accuracy its replicate reported.
    TunedModel saved = TunedModel.load(dir.resolve("model").toString());
    assertEquals(2, saved.members().size());
    LoadedData data = Datasets.load(spark, SparkStudyTest.synthetic(), 42, 2);
    try {
      PackedShard train = data.trainingSet();
      DataView validation =
          new DataView(train.features(), train.labels(), train.width(), train.validationRows());
      for (int i = 0; i < expected.size(); i++) {
        assertEquals(
            expected.get(i).validationAccuracy(),
            saved.members().get(i).evaluate(validation).accuracy(),
            1e-12,
            "member " + i);
      }
      // The test figures in best.json are those of the saved networks on the test rows.
      PackedShard test = data.testSet();
      DataView rows = new DataView(test.features(), test.labels(), test.width(), null);
      Model winner = saved.members().get(0);
      assertEquals(
          winner.evaluate(rows).accuracy(),
          fin.path("single").path("testAccuracy").asDouble(),
          1e-12);
      assertEquals(o.testAccuracy(), fin.path("ensemble").path("testAccuracy").asDouble(), 0);
    } finally {
      data.unpersist();
    }

    // Killed after the last round was written, before best.json: the resume trains the same
    // networks again (same seeds, same rows) and writes the same final model.
    String before = dir.readText("best.json");
    Files.delete(Path.of(out, "best.json"));
    deleteTree(Path.of(out, "model"));
    SparkStudy.run(spark, setup(out, Layout.BROADCAST, 1), true, SparkStudy.Listener.NONE);
    JsonNode again = JSON.readTree(dir.readText("best.json")).path("final");
    JsonNode first = JSON.readTree(before).path("final");
    for (String field : List.of("single", "ensemble", "testAccuracy", "testLoss", "kind")) {
      assertEquals(first.path(field), again.path(field), field);
    }
    for (int i = 0; i < members.size(); i++) {
      assertEquals(members.get(i).path("seed"), again.path("members").get(i).path("seed"));
    }
    assertSameNetworks(saved, TunedModel.load(dir.resolve("model").toString()));
  }

  /** Every member of {@code after} is the same network as {@code before}'s, byte for byte. */
  static void assertSameNetworks(TunedModel before, TunedModel after) {
    assertEquals(before.members().size(), after.members().size());
    for (int i = 0; i < before.members().size(); i++) {
      assertEquals(
          Arrays.toString(FinalModelTest.bytes(before.members().get(i))),
          Arrays.toString(FinalModelTest.bytes(after.members().get(i))),
          "member " + i + " is the same network after the resume");
    }
  }

  @Test
  void inTheShardedLayoutEachTrialBringsItsReplicatesAndTheSingleModelAveragesThem()
      throws Exception {
    SparkSession spark = SharedSpark.session();
    String out = tmp.resolve("sharded").toString();
    SparkStudy.Outcome o =
        SparkStudy.run(spark, setup(out, Layout.SHARDED, 2), false, SparkStudy.Listener.NONE);
    RoundRecord last = o.study().history().get(o.study().history().size() - 1);
    List<ReplicateScore> expected = expectedMembers(last);
    JsonNode fin =
        JSON.readTree(StudyDirectory.at(out, new Configuration()).readText("best.json"))
            .path("final");
    JsonNode members = fin.path("members");
    assertEquals(expected.size(), members.size(), members.toString());
    assertTrue(expected.size() > 2, "two replicates per trial: " + expected);
    for (int i = 0; i < expected.size(); i++) {
      assertEquals(expected.get(i).seed(), members.get(i).path("seed").asLong());
    }
    // The single model is the winner's replicates averaged: its test accuracy, computed here by
    // hand from the saved networks.
    int winner = expected.get(0).trial();
    long replicates = expected.stream().filter(x -> x.trial() == winner).count();
    assertEquals(2, replicates);
    TunedModel saved =
        TunedModel.load(StudyDirectory.at(out, new Configuration()).resolve("model").toString());
    LoadedData data = Datasets.load(spark, SparkStudyTest.synthetic(), 42, 2);
    try {
      PackedShard test = data.testSet();
      DataView rows = new DataView(test.features(), test.labels(), test.width(), null);
      int c = test.classes();
      float[] a = new float[rows.size() * c];
      float[] b = new float[rows.size() * c];
      saved.members().get(0).predictProbabilities(rows, a);
      saved.members().get(1).predictProbabilities(rows, b);
      int correct = 0;
      for (int r = 0; r < rows.size(); r++) {
        int best = 0;
        for (int k = 1; k < c; k++) {
          if ((double) a[r * c + k] + b[r * c + k] > (double) a[r * c + best] + b[r * c + best]) {
            best = k;
          }
        }
        correct += best == test.labels()[rows.row(r)] ? 1 : 0;
      }
      assertEquals(
          (double) correct / rows.size(),
          fin.path("single").path("testAccuracy").asDouble(),
          1e-12);
    } finally {
      data.unpersist();
    }
  }

  static void deleteTree(Path p) throws java.io.IOException {
    try (var walk = Files.walk(p)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(x -> x.toFile().delete());
    }
  }
}
