package dev.caviar.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.caviar.config.ExecutionSpec.Layout;
import dev.caviar.data.Datasets;
import dev.caviar.data.LoadedData;
import dev.caviar.job.Caviar;
import dev.caviar.report.BestFile;
import dev.caviar.report.RoundFiles;
import dev.caviar.report.StudyDirectory;
import dev.caviar.report.StudyReport;
import dev.caviar.study.EpochRecord;
import dev.caviar.study.Objective;
import dev.caviar.study.ReplicateScore;
import dev.caviar.study.RoundPlan;
import dev.caviar.study.RoundRecord;
import dev.caviar.study.RoundSpec;
import dev.caviar.study.Status;
import dev.caviar.study.Stopping;
import dev.caviar.study.Study;
import dev.caviar.study.StudySettings;
import dev.caviar.study.Trial;
import dev.caviar.study.TrialResult;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * Within-round early stopping on Spark: the trials stopped at a checkpoint are exactly the
 * ranking's bottom share there, the survivors end with the scores they would have had without
 * stopping (taken up where their executor paused them), and a study with stopped trials resumes to
 * the same files.
 */
@Tag("spark")
class EarlyStoppingTest {
  private static final Stopping HALF_AT_HALF =
      new Stopping(Stopping.Rule.HALVING, List.of(0.5), 0.5, 1);

  @TempDir Path tmp;

  private static SparkRunner runner(
      JavaSparkContext sc, LoadedData data, Layout layout, int replicas, Stopping stopping) {
    return runner(sc, data, layout, replicas, stopping, dev.caviar.study.Carried.RESTART);
  }

  static SparkRunner runner(
      JavaSparkContext sc,
      LoadedData data,
      Layout layout,
      int replicas,
      Stopping stopping,
      dev.caviar.study.Carried carried) {
    return new SparkRunner(
        sc,
        layout,
        layout == Layout.SHARDED ? data.shards() : null,
        layout == Layout.BROADCAST ? sc.broadcast(data.trainingSet()) : null,
        data.width(),
        replicas,
        Map.of("layers", 1, "batchSize", 64),
        10,
        SparkRunner.Progress.NONE,
        stopping,
        Objective.ACCURACY,
        carried);
  }

  @Test
  void theBottomHalfAtTheCheckpointStopsAndTheRestEndAsWithoutStopping() {
    SparkSession spark = SharedSpark.session();
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    LoadedData data = Datasets.load(spark, SparkStudyTest.synthetic(), 42, 2);
    try {
      for (Layout layout : List.of(Layout.BROADCAST, Layout.SHARDED)) {
        int replicas = layout == Layout.SHARDED ? 2 : 1;
        Study study =
            Study.create(
                StudySettings.of("t", 42, List.of(new RoundSpec(6, 4))), SparkStudyTest.space());
        List<Trial> trials = study.ask();
        RoundPlan plan = study.plan();
        List<ReplicateScore> whole =
            runner(sc, data, layout, replicas, Stopping.NONE).run(plan, trials);
        List<ReplicateScore> stopped =
            runner(sc, data, layout, replicas, HALF_AT_HALF).run(plan, trials);
        assertEquals(0, PausedRuns.size(), layout + ": no paused run is left behind");

        // The expected decision, from the uninterrupted curves: mean accuracy after epoch 2.
        Map<Integer, Double> atTwo = new TreeMap<>();
        Map<Integer, Integer> count = new TreeMap<>();
        for (ReplicateScore r : whole) {
          assertEquals(Status.OK, r.status(), r.reason());
          atTwo.merge(r.trial(), r.curve().get(1).validationAccuracy(), Double::sum);
          count.merge(r.trial(), 1, Integer::sum);
        }
        List<Integer> ranked = new ArrayList<>(atTwo.keySet());
        ranked.sort(
            Comparator.comparingDouble((Integer t) -> -atTwo.get(t) / count.get(t))
                .thenComparingInt(t -> t));
        Set<Integer> goOn = new TreeSet<>(ranked.subList(0, 3));

        assertEquals(whole.size(), stopped.size());
        Set<Integer> stoppedTrials = new TreeSet<>();
        for (int i = 0; i < whole.size(); i++) {
          ReplicateScore w = whole.get(i);
          ReplicateScore s = stopped.get(i);
          assertEquals(w.trial(), s.trial());
          assertEquals(w.shard(), s.shard());
          if (goOn.contains(w.trial())) {
            assertEquals(Status.OK, s.status(), layout + " trial " + w.trial());
            assertEquals(
                SparkStudyTest.scoresOf(List.of(w)),
                SparkStudyTest.scoresOf(List.of(s)),
                layout + ": a survivor ends as it would have without stopping");
          } else {
            stoppedTrials.add(s.trial());
            assertEquals(Status.STOPPED, s.status(), layout + " trial " + w.trial());
            assertEquals(2, s.epochsRun());
            EpochRecord two = w.curve().get(1);
            assertEquals(two.validationAccuracy(), s.validationAccuracy(), 0);
            assertEquals(two.validationLoss(), s.validationLoss(), 0);
            assertEquals(w.curve().subList(0, 2), s.curve());
            assertTrue(s.reason().contains("successive halving"), s.reason());
          }
        }
        assertEquals(3, stoppedTrials.size(), layout + ": half of the six trials stopped");
      }
    } finally {
      data.unpersist();
    }
  }

  @Test
  void aStudyWithStoppedTrialsResumesToTheSameFilesAndReportsThem() throws Exception {
    SparkSession spark = SharedSpark.session();
    String out = tmp.resolve("stopping").toString();
    SparkStudy.Setup base = SparkStudyTest.setup(out, Layout.BROADCAST, 1);
    SparkStudy.Setup setup =
        SparkStudyTest.withSettings(
            base,
            base.settings()
                .withRounds(List.of(new RoundSpec(6, 1), new RoundSpec(6, 4), new RoundSpec(4, 4)))
                .withStopping(HALF_AT_HALF),
            out);
    SparkStudy.Outcome first = SparkStudy.run(spark, setup, false, SparkStudy.Listener.NONE);
    StudyDirectory dir = StudyDirectory.at(out, new Configuration());
    String replicates = RoundFiles.path(dir, 1, RoundFiles.REPLICATES_JSON);
    String round2 = dir.readText(replicates);
    String round3 = dir.readText(RoundFiles.path(dir, 2, RoundFiles.REPLICATES_JSON));
    String best = dir.readText("best.json");
    // Six trials enter round 2's checkpoint, three go on; four enter round 3's, two go on. A trial
    // that diverged before the checkpoint ends DIVERGED, not STOPPED.
    int stopped2 = count(round2, "\"status\":\"STOPPED\"");
    int stopped3 = count(round3, "\"status\":\"STOPPED\"");
    assertEquals(6 - 3 - count(round2, "\"status\":\"DIVERGED\""), stopped2, round2);
    assertEquals(4 - 2 - count(round3, "\"status\":\"DIVERGED\""), stopped3, round3);
    assertTrue(stopped2 > 0 && stopped3 > 0, "both rounds stopped trials");
    assertTrue(
        dir.readText(RoundFiles.path(dir, 1, RoundFiles.TRIALS_CSV)).contains("STOPPED"),
        "the trials table records the stopped trials");
    // A stopped trial is never the winner, nor in the elite that narrows the region.
    int winner = first.best().winner().trial().number();
    assertTrue(round3.contains("\"trial\":" + winner + ","), "the winner is a round 3 trial");
    for (String line : round3.split("\n")) {
      if (line.contains("\"trial\":" + winner + ",")) {
        assertFalse(line.contains("\"STOPPED\""), "the winner was not stopped: " + line);
      }
    }

    // The winner's score corrected for selection ranks round 3's OK trials only, the stopped ones
    // left out as the winner's pool leaves them out; it lies within their half scores.
    BestFile.Expected expected = BestFile.read(best, "best.json").expected();
    RoundRecord last = first.study().history().get(2);
    List<TrialResult> pool = last.results().stream().filter(t -> t.status() == Status.OK).toList();
    java.util.DoubleSummaryStatistics halves =
        pool.stream()
            .flatMap(t -> t.replicates().stream())
            .filter(r -> r.status() == Status.OK)
            .flatMapToDouble(
                r ->
                    java.util.stream.DoubleStream.of(
                        r.validationHalves().accuracyA(), r.validationHalves().accuracyB()))
            .summaryStatistics();
    assertTrue(Double.isFinite(expected.selectionCorrected()), best);
    assertTrue(
        expected.selectionCorrected() >= halves.getMin()
            && expected.selectionCorrected() <= halves.getMax(),
        expected + " within " + halves);
    assertEquals(pool.size(), expected.pool());
    assertEquals(first.best().winner().mean(), expected.validation());
    assertEquals(first.testAccuracy(), expected.test());
    List<Integer> okTrials = pool.stream().map(t -> t.trial().number()).toList();
    assertTrue(
        okTrials.contains(expected.pickedByA()) && okTrials.contains(expected.pickedByB()),
        "picked among the OK trials " + okTrials + ": " + expected);

    // Killed during round 3: its directory and everything after it are gone; the resume replays
    // rounds 1 and 2 (with their stopped trials) and writes the same round 3 and best.json.
    deleteTree(Path.of(out, "rounds", "round-002"));
    Files.delete(Path.of(out, "best.json"));
    deleteTree(Path.of(out, "model"));
    SparkStudy.run(spark, setup, true, SparkStudy.Listener.NONE);
    assertEquals(
        withoutTimes(round3),
        withoutTimes(dir.readText(RoundFiles.path(dir, 2, RoundFiles.REPLICATES_JSON))));
    assertEquals(withoutTimes(best), withoutTimes(dir.readText("best.json")));

    // The report has the stopped trials in a section of their own; show counts them per round.
    String html = StudyReport.html(dir);
    assertTrue(html.contains("<h3 id=\"stopped\">Stopped early</h3>"), "report section");
    assertTrue(
        html.contains(
            "</b>: what the winner's validation score would be if the winner had not been chosen"
                + " on the same rows; two-fold cross-fit over the last round's "
                + pool.size()
                + " OK trials"),
        "the report states the corrected estimate");
    assertEquals(
        stopped2 + stopped3, count(html, "successive halving"), "one row per stopped replicate");
    String text = show(out);
    assertTrue(text.contains("stopped"), text);
    assertTrue(
        text.lines().anyMatch(l -> l.matches("2\\s+4\\s+6\\s+\\d+\\s+0\\s+" + stopped2 + "\\s+.*")),
        "round 2: 6 trials, " + stopped2 + " stopped:\n" + text);
  }

  /** What {@code caviar show} prints of the study in {@code out}; it must exit 0. */
  static String show(String out) {
    StringWriter shown = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        Caviar.execute(
            new String[] {"show", out}, new PrintWriter(shown, true), new PrintWriter(err, true));
    assertEquals(0, code, err.toString());
    return shown.toString();
  }

  private static int count(String text, String what) {
    int n = 0;
    for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
      n++;
    }
    return n;
  }

  static String withoutTimes(String json) {
    return json.replaceAll("\"[A-Za-z]*(Nanos|Seconds)\"\\s*:\\s*[0-9.eE-]+", "");
  }

  private static void deleteTree(Path p) throws java.io.IOException {
    try (var walk = Files.walk(p)) {
      walk.sorted(Comparator.reverseOrder()).forEach(x -> x.toFile().delete());
    }
  }
}
