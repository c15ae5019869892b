package dev.caviar.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.caviar.config.ExecutionSpec.Layout;
import dev.caviar.data.Datasets;
import dev.caviar.data.LoadedData;
import dev.caviar.report.RoundFiles;
import dev.caviar.report.StudyDirectory;
import dev.caviar.study.Carried;
import dev.caviar.study.ReplicateScore;
import dev.caviar.study.RoundSpec;
import dev.caviar.study.Status;
import dev.caviar.study.Stopping;
import dev.caviar.study.Study;
import dev.caviar.study.StudySettings;
import dev.caviar.study.Trial;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code study.carried = continue} on Spark: a round's runs wait where they ended, the next round's
 * carried trials go on from them, and the scores are the ones a run started from the trial's seed
 * reaches, so that a resume (or another executor) that no longer holds the runs gives the same
 * study.
 */
@Tag("spark")
class CarriedContinueTest {
  @TempDir Path tmp;

  private static SparkRunner runner(
      JavaSparkContext sc, LoadedData data, Layout layout, int replicas, Carried carried) {
    return EarlyStoppingTest.runner(sc, data, layout, replicas, Stopping.NONE, carried);
  }

  @Test
  void carriedTrialsGoOnFromTheirRunsToTheScoresTheirSeedsReach() {
    SparkSession spark = SharedSpark.session();
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    LoadedData data = Datasets.load(spark, SparkStudyTest.synthetic(), 42, 2);
    try {
      for (Layout layout : List.of(Layout.BROADCAST, Layout.SHARDED)) {
        int replicas = layout == Layout.SHARDED ? 2 : 1;
        StudySettings settings =
            StudySettings.of("t", 42, List.of(new RoundSpec(5, 2), new RoundSpec(4, 4)))
                .withCarried(Carried.CONTINUE);
        Study study = Study.create(settings, SparkStudyTest.space());
        SparkRunner continuing = runner(sc, data, layout, replicas, Carried.CONTINUE);
        List<ReplicateScore> first = continuing.run(study.plan(), study.ask());
        long ok = first.stream().filter(s -> s.status() == Status.OK).count();
        assertTrue(ok >= 2, layout + ": at least two trials to carry");
        assertEquals(ok, PausedRuns.size(), layout + ": every OK run waits for the next round");
        study.tellScores(first);

        List<Trial> second = study.ask();
        List<Trial> carried = second.stream().filter(t -> t.carriedFrom() >= 0).toList();
        assertEquals(2, carried.size());
        long takenBefore = PausedRuns.taken();
        List<ReplicateScore> continued = continuing.run(study.plan(), second);
        assertEquals(
            carried.size() * replicas,
            PausedRuns.taken() - takenBefore,
            layout + ": each carried replicate went on from its run");
        assertEquals(0, PausedRuns.size(), layout + ": nothing is left held after the last round");

        // A runner that holds nothing trains every trial from its seed: the same scores.
        List<ReplicateScore> fromSeeds =
            runner(sc, data, layout, replicas, Carried.RESTART).run(study.plan(), second);
        assertEquals(SparkStudyTest.scoresOf(fromSeeds), SparkStudyTest.scoresOf(continued));

        // The carried replicate is its first-round run, trained on: the same first epochs.
        for (Trial t : carried) {
          for (ReplicateScore now : continued) {
            if (now.trial() != t.number()) {
              continue;
            }
            ReplicateScore before =
                first.stream()
                    .filter(s -> s.trial() == t.carriedFrom() && s.shard() == now.shard())
                    .findFirst()
                    .orElseThrow();
            assertEquals(before.seed(), now.seed());
            assertEquals(4, now.curve().size(), layout + ": the round's epochs");
            assertEquals(before.curve(), now.curve().subList(0, 2), layout + " trial " + t);
          }
        }
      }
    } finally {
      data.unpersist();
    }
  }

  @Test
  void aStudyWhoseCarriedTrialsContinuedResumesToTheSameFiles() throws Exception {
    SparkSession spark = SharedSpark.session();
    String out = tmp.resolve("carried").toString();
    SparkStudy.Setup base = SparkStudyTest.setup(out, Layout.BROADCAST, 1);
    SparkStudy.Setup setup =
        SparkStudyTest.withSettings(
            base,
            base.settings()
                .withRounds(List.of(new RoundSpec(6, 1), new RoundSpec(4, 2), new RoundSpec(3, 4)))
                .withCarried(Carried.CONTINUE),
            out);
    SparkStudy.run(spark, setup, false, SparkStudy.Listener.NONE);
    assertEquals(0, PausedRuns.size(), "nothing is left held after the study");
    StudyDirectory dir = StudyDirectory.at(out, new Configuration());
    String round3 = dir.readText(RoundFiles.path(dir, 2, RoundFiles.REPLICATES_JSON));
    String best = dir.readText("best.json");

    // Killed during round 3: the resume holds no run of round 2, so its carried trials are
    // trained again from their seeds, to the same round 3 and the same best.json.
    LastRoundFinalTest.deleteTree(Path.of(out, "rounds", "round-002"));
    Files.delete(Path.of(out, "best.json"));
    LastRoundFinalTest.deleteTree(Path.of(out, "model"));
    SparkStudy.run(spark, setup, true, SparkStudy.Listener.NONE);
    assertEquals(
        EarlyStoppingTest.withoutTimes(round3),
        EarlyStoppingTest.withoutTimes(
            dir.readText(RoundFiles.path(dir, 2, RoundFiles.REPLICATES_JSON))));
    assertEquals(
        EarlyStoppingTest.withoutTimes(best),
        EarlyStoppingTest.withoutTimes(dir.readText("best.json")));
  }
}
