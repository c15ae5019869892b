package dev.caviar.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.caviar.config.ExecutionSpec.Layout;
import dev.caviar.data.Datasets;
import dev.caviar.data.LoadedData;
import dev.caviar.report.RoundFiles;
import dev.caviar.report.StudyDirectory;
import dev.caviar.report.StudyReport;
import dev.caviar.study.Carried;
import dev.caviar.study.Confirm;
import dev.caviar.study.ReplicateScore;
import dev.caviar.study.RoundPlan;
import dev.caviar.study.RoundSpec;
import dev.caviar.study.Status;
import dev.caviar.study.Stopping;
import dev.caviar.study.Study;
import dev.caviar.study.StudySettings;
import dev.caviar.study.Trial;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A round's confirmation on Spark ({@code study.rounds[].confirm}): the leaders' extra replicates
 * are exactly the ones a study with more replicates for every trial would have trained (same seeds,
 * same shards), in either layout; the kept and held networks include them; a study with a confirmed
 * round resumes to the same files and its report and {@code caviar show} say what was confirmed.
 */
@Tag("spark")
class ConfirmRoundTest {
  @TempDir Path tmp;

  @Test
  void theLeadersNextReplicatesAreTheOnesMoreReplicasWouldHaveTrained() {
    SparkSession spark = SharedSpark.session();
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    LoadedData data = Datasets.load(spark, SparkStudyTest.synthetic(), 42, 2);
    Confirm confirm = new Confirm(3, 2);
    for (Layout layout : List.of(Layout.BROADCAST, Layout.SHARDED)) {
      Study study =
          Study.create(
              StudySettings.of("t", 42, List.of(new RoundSpec(6, 2, confirm))),
              SparkStudyTest.space());
      List<Trial> trials = study.ask();
      RoundPlan plan = study.plan();
      assertEquals(confirm, plan.confirm());
      RoundPlan unconfirmed =
          new RoundPlan(plan.round(), plan.roundCount(), plan.epochs(), plan.studySeed());
      SparkRunner one = runner(sc, data, layout, 1);
      List<ReplicateScore> confirmed = one.run(plan, trials, SparkRunner.Keep.NETWORKS);
      List<ReplicateScore> first = runner(sc, data, layout, 1).run(unconfirmed, trials);
      List<ReplicateScore> every = runner(sc, data, layout, 2).run(unconfirmed, trials);
      assertEquals(0, PausedRuns.size(), layout + ": no paused run is left behind");

      // The three best trials by their one replicate, as the rule ranks them.
      List<ReplicateScore> ok =
          first.stream()
              .filter(r -> r.status() == Status.OK)
              .sorted(
                  Comparator.comparingDouble(ReplicateScore::validationAccuracy)
                      .reversed()
                      .thenComparingInt(ReplicateScore::trial))
              .toList();
      assertTrue(ok.size() >= 3, layout + ": at least three trials converge: " + first);
      Set<Integer> leaders = new TreeSet<>();
      ok.subList(0, 3).forEach(r -> leaders.add(r.trial()));

      Map<String, ReplicateScore> byPair = new TreeMap<>();
      every.forEach(r -> byPair.put(r.trial() + "/" + r.shard(), r));
      Map<Integer, Set<Integer>> coordinates = new TreeMap<>();
      for (ReplicateScore r : confirmed) {
        coordinates.computeIfAbsent(r.trial(), k -> new TreeSet<>()).add(r.shard());
        ReplicateScore same = byPair.get(r.trial() + "/" + r.shard());
        assertTrue(same != null, layout + ": " + r.trial() + "/" + r.shard() + " in " + byPair);
        assertEquals(
            SparkStudyTest.scoresOf(List.of(same)),
            SparkStudyTest.scoresOf(List.of(r)),
            layout + ": a confirmed replicate is the one two replicas per trial trains");
      }
      for (Trial t : trials) {
        Set<Integer> c = coordinates.get(t.number());
        assertEquals(
            leaders.contains(t.number()) ? 2 : 1,
            c.size(),
            layout + " trial " + t.number() + ": " + c);
      }
      assertEquals(first.size() + 3, confirmed.size());
      // The kept networks are the round's OK replicates, the confirmed ones included.
      assertEquals(
          confirmed.stream().filter(r -> r.status() == Status.OK).count(),
          one.keptNetworks().size());
    }
  }

  @Test
  void theConfirmedRunsOfALastRoundAreHeldAndContinued() {
    SparkSession spark = SharedSpark.session();
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    LoadedData data = Datasets.load(spark, SparkStudyTest.synthetic(), 42, 2);
    Study study =
        Study.create(
            StudySettings.of("t", 42, List.of(new RoundSpec(4, 2, new Confirm(2, 2)))),
            SparkStudyTest.space());
    List<Trial> trials = study.ask();
    SparkRunner runner = runner(sc, data, Layout.BROADCAST, 1);
    List<ReplicateScore> scores = runner.run(study.plan(), trials, SparkRunner.Keep.RUNS);
    List<ReplicateScore> ok = scores.stream().filter(r -> r.status() == Status.OK).toList();
    assertEquals(ok.size(), PausedRuns.size(), "every OK run, the confirmed ones too, is held");
    long before = PausedRuns.taken();
    SparkRunner.Continued c = runner.continueOnAllRows(trials, ok, 1);
    assertEquals(ok.size(), c.networks().size());
    assertEquals(ok.size(), PausedRuns.taken() - before, "each continued from its held run");
    assertEquals(0, PausedRuns.size());
  }

  @Test
  void aStudyWithAConfirmedRoundResumesToTheSameFilesAndSaysWhatWasConfirmed() throws Exception {
    SparkSession spark = SharedSpark.session();
    String out = tmp.resolve("confirm").toString();
    SparkStudy.Setup setup =
        SparkStudyTest.withRounds(
            out,
            Layout.BROADCAST,
            new RoundSpec(6, 1),
            new RoundSpec(6, 2, new Confirm(3, 3)),
            new RoundSpec(3, 2));
    SparkStudy.run(spark, setup, false, SparkStudy.Listener.NONE);
    StudyDirectory dir = StudyDirectory.at(out, new Configuration());
    String round2 = dir.readText(RoundFiles.path(dir, 1, RoundFiles.REPLICATES_JSON));
    String round3 = dir.readText(RoundFiles.path(dir, 2, RoundFiles.REPLICATES_JSON));
    String best = dir.readText("best.json");
    assertEquals(6 + 3 * 2, round2.lines().count(), "six trials, three confirmed to 3 seeds");

    // Killed during round 3: the resume replays round 2, its confirmed trials with their three
    // replicates (the carry and the narrowing read their means), and writes the same round 3.
    resumeFrom(spark, setup, dir, 2, round3, best);
    // Killed during round 2 itself: it runs again, its confirmation included, to the same files.
    resumeFrom(spark, setup, dir, 1, round2, best);

    String html = StudyReport.html(dir);
    assertTrue(html.contains("<td>1, 3 confirmed: 3</td>"), "the rounds table says so");
    String shown = EarlyStoppingTest.show(out);
    assertTrue(
        shown.lines().anyMatch(l -> l.matches("2\\s+2\\s+6\\s+.*1, 3 confirmed: 3.*")), shown);
  }

  @Test
  void tooFewShardsForTheConfirmationFailBeforeTheOutputDirectoryIsWritten() {
    SparkSession spark = SharedSpark.session();
    String out = tmp.resolve("few-shards").toString();
    SparkStudy.Setup setup =
        SparkStudyTest.withRounds(
            out, Layout.SHARDED, new RoundSpec(4, 1, new Confirm(2, 3)), new RoundSpec(2, 1));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> SparkStudy.run(spark, setup, false, SparkStudy.Listener.NONE));
    assertEquals(
        "study.rounds[0].confirm.replicates: must be <= the shard count (2) in the sharded layout,"
            + " where a trial's replicates train on distinct shards, got 3",
        e.getMessage());
    assertFalse(Files.exists(Path.of(out, "config.conf")), "nothing written");
  }

  /**
   * Deletes round {@code round} and what follows it, as a driver killed during that round leaves
   * the directory, resumes, and checks that the round's replicates and best.json are as before.
   */
  private static void resumeFrom(
      SparkSession spark,
      SparkStudy.Setup setup,
      StudyDirectory dir,
      int round,
      String replicates,
      String best)
      throws java.io.IOException {
    Path out = Path.of(setup.outputDir());
    for (int r = round; r < setup.settings().rounds().size(); r++) {
      deleteTree(out.resolve(String.format("rounds/round-%03d", r)));
    }
    Files.delete(out.resolve("best.json"));
    deleteTree(out.resolve("model"));
    SparkStudy.run(spark, setup, true, SparkStudy.Listener.NONE);
    assertEquals(
        EarlyStoppingTest.withoutTimes(replicates),
        EarlyStoppingTest.withoutTimes(
            dir.readText(RoundFiles.path(dir, round, RoundFiles.REPLICATES_JSON))),
        "round " + (round + 1));
    assertEquals(
        EarlyStoppingTest.withoutTimes(best),
        EarlyStoppingTest.withoutTimes(dir.readText("best.json")));
  }

  private static SparkRunner runner(
      JavaSparkContext sc, LoadedData data, Layout layout, int replicas) {
    return EarlyStoppingTest.runner(sc, data, layout, replicas, Stopping.NONE, Carried.RESTART);
  }

  private static void deleteTree(Path p) throws java.io.IOException {
    try (var walk = Files.walk(p)) {
      walk.sorted(Comparator.reverseOrder()).forEach(x -> x.toFile().delete());
    }
  }
}
