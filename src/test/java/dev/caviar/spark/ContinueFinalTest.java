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
import dev.caviar.nn.EpochListener;
import dev.caviar.nn.Model;
import dev.caviar.nn.TrainingRun;
import dev.caviar.report.StudyDirectory;
import dev.caviar.study.ReplicateScore;
import dev.caviar.study.RoundRecord;
import dev.caviar.study.Trial;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code final.train = continue}: the final model is the last round's best networks, each trained
 * on for {@code final.epochs} on all rows from where its round left it (its run held on the
 * executor), and the same networks again after a resume that found the round on disk but its runs
 * gone (trained again from their seeds first).
 */
@Tag("spark")
class ContinueFinalTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int EXTRA = 2;

  @TempDir Path tmp;

  private static SparkStudy.Setup setup(String out, Layout layout, int replicas) {
    return setup(out, layout, replicas, 0);
  }

  /** The study, ended by continuing the last round's best two, plus {@code retrained} seeds. */
  private static SparkStudy.Setup setup(String out, Layout layout, int replicas, int retrained) {
    return LastRoundFinalTest.setup(
        out, new ExecutionSpec(layout, 2, replicas, 64, 2, FinalTrain.CONTINUE, EXTRA, retrained));
  }

  private static List<ReplicateScore> expectedMembers(RoundRecord last) {
    return LastRoundFinalTest.expectedMembers(last);
  }

  @Test
  void theLastRoundsBestNetworksGoOnOnAllRowsAndAResumeRebuildsTheSame() throws Exception {
    SparkSession spark = SharedSpark.session();
    String out = tmp.resolve("continue").toString();
    SparkStudy.Setup setup = setup(out, Layout.BROADCAST, 1);
    SparkStudy.Outcome o = SparkStudy.run(spark, setup, false, SparkStudy.Listener.NONE);
    assertEquals(0, PausedRuns.size(), "no run is left held once the final model is made");
    RoundRecord last = o.study().history().get(o.study().history().size() - 1);
    List<ReplicateScore> expected = expectedMembers(last);
    assertEquals(2, expected.size(), "two OK trials in the last round: " + last.results());
    assertEquals(o.best().winner().trial().number(), expected.get(0).trial());

    StudyDirectory dir = StudyDirectory.at(out, new Configuration());
    JsonNode fin = JSON.readTree(dir.readText("best.json")).path("final");
    assertEquals("last round continued", fin.path("kind").asText());
    int roundEpochs = last.trials().get(0).epochs();
    assertEquals(roundEpochs + EXTRA, fin.path("epochs").asInt(), fin.toString());
    // The configuration is the trial's: retraining it means the round's epochs.
    JsonNode best = JSON.readTree(dir.readText("best.json"));
    assertEquals(roundEpochs, best.path("configuration").path("epochs").asInt(), best.toString());
    LoadedData data = Datasets.load(spark, SparkStudyTest.synthetic(), 42, 2);
    try {
      PackedShard train = data.trainingSet();
      assertEquals(train.rows(), fin.path("trainRows").asInt(), "trained on all rows");
      JsonNode members = fin.path("members");
      assertEquals(expected.size(), members.size(), members.toString());

      // Each saved network is its replicate's run, from its seed through the round's epochs on the
      // training rows, then EXTRA epochs on all rows: computed here without Spark, bit for bit.
      TunedModel saved = TunedModel.load(dir.resolve("model").toString());
      TrialTraining training =
          new TrialTraining(setup.model(), setup.settings().divergenceFactor());
      DataView trainRows =
          new DataView(train.features(), train.labels(), train.width(), train.trainRows());
      DataView validation =
          new DataView(train.features(), train.labels(), train.width(), train.validationRows());
      PackedShard whole = train.allRowsTraining();
      DataView all =
          new DataView(whole.features(), whole.labels(), whole.width(), whole.trainRows());
      for (int i = 0; i < expected.size(); i++) {
        ReplicateScore x = expected.get(i);
        assertEquals(x.trial(), members.get(i).path("index").asInt());
        assertEquals(x.seed(), members.get(i).path("seed").asLong());
        assertEquals(train.rows(), members.get(i).path("rows").asInt());
        Trial trial = last.trials().stream().filter(t -> t.number() == x.trial()).findFirst().get();
        Model byHand =
            TrainingRun.start(
                    training.spec(trial, train.width(), train.classes()),
                    trainRows,
                    validation,
                    x.seed())
                .advance(Integer.MAX_VALUE, EpochListener.NONE)
                .continueOn(all, EXTRA)
                .advance(Integer.MAX_VALUE, EpochListener.NONE)
                .result()
                .model();
        assertEquals(
            Arrays.toString(FinalModelTest.bytes(byHand)),
            Arrays.toString(FinalModelTest.bytes(saved.members().get(i))),
            "member " + i + ": the round's run trained on on all rows");
      }
      // The test figures in best.json are those of the saved networks.
      PackedShard test = data.testSet();
      DataView rows = new DataView(test.features(), test.labels(), test.width(), null);
      assertEquals(
          saved.members().get(0).evaluate(rows).accuracy(),
          fin.path("single").path("testAccuracy").asDouble(),
          1e-12);
    } finally {
      data.unpersist();
    }

    // Killed after the last round was written, before best.json: the resume trains the round's
    // runs again from their seeds, continues them, and writes the same final model.
    resumeAfterTheLastRoundRebuildsTheSameFinalModel(spark, setup, out);
    // The report says how the final model was made, not "retrained".
    String html = dev.caviar.report.StudyReport.html(dir);
    assertTrue(
        html.contains(
            "the last round's best networks, trained on all training rows from epoch "
                + roundEpochs
                + " to epoch "
                + (roundEpochs + EXTRA)),
        "report's final-model sentence");
  }

  @Test
  void retrainedSeedsOfTheWinnerJoinTheContinuedNetworksAndAResumeRebuildsAllOfThem()
      throws Exception {
    SparkSession spark = SharedSpark.session();
    String out = tmp.resolve("continue-and-retrain").toString();
    SparkStudy.Setup setup = setup(out, Layout.BROADCAST, 1, 2);
    List<String> said = new java.util.ArrayList<>();
    SparkStudy.Outcome o =
        SparkStudy.run(
            spark,
            setup,
            false,
            new SparkStudy.Listener() {
              @Override
              public void finalStarted(String what) {
                said.add(what);
              }
            });
    // The same study ended by retraining two seeds: its networks are the retrained members.
    String retrainOut = tmp.resolve("retrain").toString();
    SparkStudy.run(
        spark,
        LastRoundFinalTest.setup(
            retrainOut, new ExecutionSpec(Layout.BROADCAST, 2, 1, 64, 2, FinalTrain.RETRAIN)),
        false,
        SparkStudy.Listener.NONE);
    assertEquals(0, PausedRuns.size(), "no run is left held once the final model is made");
    RoundRecord last = o.study().history().get(o.study().history().size() - 1);
    List<ReplicateScore> expected = expectedMembers(last);
    assertEquals(2, expected.size(), "two OK trials in the last round: " + last.results());

    StudyDirectory dir = StudyDirectory.at(out, new Configuration());
    JsonNode fin = JSON.readTree(dir.readText("best.json")).path("final");
    assertEquals("last round continued + seed ensemble", fin.path("kind").asText());
    String all = String.format(java.util.Locale.ROOT, "%,d", fin.path("trainRows").asLong());
    assertEquals(
        List.of(
            "the last round's best 2 trial(s), "
                + EXTRA
                + " more epoch(s) each on all "
                + all
                + " rows; with 2 seed(s) of trial "
                + o.best().winner().trial().number()
                + " trained from scratch on all "
                + all
                + " rows for "
                + last.trials().get(0).epochs()
                + " epochs; averaged"),
        said,
        "the console is told what the final step trains before it starts");
    assertEquals("ensemble", fin.path("saved").asText());
    JsonNode members = fin.path("members");
    assertEquals(4, members.size(), members.toString());
    JsonNode retrainMembers =
        JSON.readTree(StudyDirectory.at(retrainOut, new Configuration()).readText("best.json"))
            .path("final")
            .path("members");
    for (int i = 0; i < 2; i++) {
      assertEquals("trial", members.get(i).path("role").asText());
      assertEquals(expected.get(i).trial(), members.get(i).path("index").asInt());
      assertEquals(expected.get(i).seed(), members.get(i).path("seed").asLong());
      JsonNode r = members.get(2 + i);
      assertEquals("member", r.path("role").asText());
      assertEquals(i, r.path("index").asInt());
      assertEquals(retrainMembers.get(i).path("seed"), r.path("seed"));
      assertEquals(retrainMembers.get(i).path("rows"), r.path("rows"));
    }
    TunedModel saved = TunedModel.load(dir.resolve("model").toString());
    TunedModel retrained = TunedModel.load(tmp.resolve("retrain").resolve("model").toString());
    assertEquals(4, saved.members().size());
    for (int i = 0; i < 2; i++) {
      assertEquals(
          Arrays.toString(FinalModelTest.bytes(retrained.members().get(i))),
          Arrays.toString(FinalModelTest.bytes(saved.members().get(2 + i))),
          "retrained member " + i + " is the retrain study's network");
    }
    // The single model is still the winner's continued network; the saved one averages all four.
    LoadedData data = Datasets.load(spark, SparkStudyTest.synthetic(), 42, 2);
    try {
      PackedShard test = data.testSet();
      DataView rows = new DataView(test.features(), test.labels(), test.width(), null);
      assertEquals(
          saved.members().get(0).evaluate(rows).accuracy(),
          fin.path("single").path("testAccuracy").asDouble(),
          1e-12);
      assertEquals(
          fin.path("ensemble").path("testAccuracy").asDouble(),
          fin.path("testAccuracy").asDouble(),
          0.0);
    } finally {
      data.unpersist();
    }
    String html = dev.caviar.report.StudyReport.html(dir);
    assertTrue(
        html.contains(
            "averaged with 2 network(s) of the best configuration retrained from their seeds on"
                + " all training rows"),
        "report's final-model sentence");

    // Killed after the last round was written: the resume rebuilds all four networks.
    resumeAfterTheLastRoundRebuildsTheSameFinalModel(spark, setup, out);
  }

  /**
   * Deletes best.json and the model (a driver killed after the last round was written) and resumes:
   * the final step must write the same figures and the same networks.
   */
  private static void resumeAfterTheLastRoundRebuildsTheSameFinalModel(
      SparkSession spark, SparkStudy.Setup setup, String out) throws Exception {
    StudyDirectory dir = StudyDirectory.at(out, new Configuration());
    String before = dir.readText("best.json");
    TunedModel first = TunedModel.load(dir.resolve("model").toString());
    Files.delete(Path.of(out, "best.json"));
    LastRoundFinalTest.deleteTree(Path.of(out, "model"));
    SparkStudy.run(spark, setup, true, SparkStudy.Listener.NONE);
    JsonNode again = JSON.readTree(dir.readText("best.json")).path("final");
    JsonNode was = JSON.readTree(before).path("final");
    for (String field : List.of("single", "ensemble", "testAccuracy", "kind", "epochs")) {
      assertEquals(was.path(field), again.path(field), field);
    }
    LastRoundFinalTest.assertSameNetworks(first, TunedModel.load(dir.resolve("model").toString()));
  }

  @Test
  void inTheShardedLayoutEachReplicateGoesOnOnItsOwnShardAndRetrainedMeansOnePerShard()
      throws Exception {
    SparkSession spark = SharedSpark.session();
    String out = tmp.resolve("sharded").toString();
    SparkStudy.Setup setup = setup(out, Layout.SHARDED, 2, 1);
    SparkStudy.Outcome o = SparkStudy.run(spark, setup, false, SparkStudy.Listener.NONE);
    RoundRecord last = o.study().history().get(o.study().history().size() - 1);
    List<ReplicateScore> expected = expectedMembers(last);
    assertTrue(expected.size() > 2, "two replicates per trial: " + expected);
    StudyDirectory dir = StudyDirectory.at(out, new Configuration());
    JsonNode fin = JSON.readTree(dir.readText("best.json")).path("final");
    assertEquals("last round continued + shard ensemble", fin.path("kind").asText());
    JsonNode members = fin.path("members");
    LoadedData data = Datasets.load(spark, SparkStudyTest.synthetic(), 42, 2);
    try {
      int[] shardRows = data.shardRows();
      assertEquals(expected.size() + shardRows.length, members.size(), members.toString());
      for (int i = 0; i < expected.size(); i++) {
        assertEquals(expected.get(i).seed(), members.get(i).path("seed").asLong());
        assertEquals(
            shardRows[expected.get(i).shard()],
            members.get(i).path("rows").asInt(),
            "member " + i + " went on on all rows of shard " + expected.get(i).shard());
      }
      // final.retrained in the sharded layout: the winner retrained once per shard, on its rows.
      for (int s = 0; s < shardRows.length; s++) {
        JsonNode m = members.get(expected.size() + s);
        assertEquals("shard", m.path("role").asText(), m.toString());
        assertEquals(s, m.path("index").asInt());
        assertEquals(
            FinalModel.seed(setup.settings().seed(), o.best().winner().trial().number(), s),
            m.path("seed").asLong());
        assertEquals(shardRows[s], m.path("rows").asInt());
      }
    } finally {
      data.unpersist();
    }
    assertTrue(
        dev.caviar.report.StudyReport.html(dir)
            .contains("one per shard on all of that shard's rows"),
        "report's final-model sentence");
    assertEquals(0, PausedRuns.size());
  }
}
