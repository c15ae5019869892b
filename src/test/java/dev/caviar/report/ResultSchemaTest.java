package dev.caviar.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.caviar.nn.HalfScores;
import dev.caviar.space.Domain;
import dev.caviar.space.Region;
import dev.caviar.study.Best;
import dev.caviar.study.CrossFitEstimate;
import dev.caviar.study.EpochRecord;
import dev.caviar.study.NarrowingRecord;
import dev.caviar.study.NarrowingRecord.Rule;
import dev.caviar.study.Objective;
import dev.caviar.study.ReplicateScore;
import dev.caviar.study.RoundRecord;
import dev.caviar.study.Status;
import dev.caviar.study.Trial;
import dev.caviar.study.TrialResult;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The one results schema: each table's formats agree, and the readers give back typed records. */
class ResultSchemaTest {
  private static final List<EpochRecord> CURVE =
      List.of(
          new EpochRecord(1, 1.2, Double.NaN, 0.4, List.of(2e-3, 0.05)),
          new EpochRecord(2, 0.8, 0.9, 0.5, List.of(1e-3, Double.NaN)));

  private static ReplicateScore ok(int trial, double accuracy) {
    return ReplicateScore.ok(0, trial, 0, 11L * trial, accuracy, 0.9, 0.7, 2, CURVE, 3_500_000)
        .withInitialLoss(2.3, Math.log(10))
        .ranOn("driver", "dev.ludovic.netlib.blas.JNIBLAS")
        .withValidationHalves(new HalfScores(accuracy + 0.125, accuracy - 0.125, 0.8, 1.0));
  }

  private static TrialResult result(int number, double accuracy, Map<String, Object> params) {
    Trial t = new Trial(0, number, 5L * number, new TreeMap<>(params), 2, -1);
    return TrialResult.aggregate(t, List.of(ok(number, accuracy)), Objective.ACCURACY);
  }

  private static final ReplicateScore DIVERGED =
      ReplicateScore.notOk(
          0, 2, 1, 9, Status.DIVERGED, "loss NaN, at epoch 1", 1, CURVE, 1_000_000);

  @Test
  void replicatesComeBackAsTheRecordsThatWereWritten() {
    List<ReplicateScore> rows = List.of(ok(1, 0.75), DIVERGED);
    assertEquals(rows, ReplicateTable.read(ReplicateTable.jsonLines(rows), "replicates.jsonl"));
  }

  /** A table written before the halves were recorded resumes, its replicates without halves. */
  @Test
  void replicatesWithoutTheHalfColumnsReadBackWithoutHalves() throws Exception {
    List<String> halves =
        List.of("validationAccuracyA", "validationAccuracyB", "validationLossA", "validationLossB");
    StringBuilder old = new StringBuilder();
    for (String line : ReplicateTable.jsonLines(List.of(ok(1, 0.75), DIVERGED)).split("\n")) {
      var o = (com.fasterxml.jackson.databind.node.ObjectNode) Cells.JSON.readTree(line);
      assertTrue(o.has("validationLossA"), line);
      o.remove(halves);
      old.append(Cells.line(o)).append('\n');
    }
    List<ReplicateScore> back = ReplicateTable.read(old.toString(), "old replicates.jsonl");
    assertEquals(List.of(ok(1, 0.75).withValidationHalves(HalfScores.NONE), DIVERGED), back);
  }

  /**
   * best.json states the winner's validation score, the same corrected for selection and the test
   * score; a file written before it reads back without it.
   */
  @Test
  void bestJsonStatesTheExpectedScoreAndAnOlderFileReadsWithout() throws Exception {
    List<TrialResult> round =
        List.of(result(1, 0.75, Map.of("units", 16)), result(2, 0.5, Map.of("units", 8)));
    Best best = new Best(round.get(0), List.of());
    BestFile.Final fin =
        new BestFile.Final(
            7,
            2,
            100,
            0,
            Double.NaN,
            Double.NaN,
            1.5,
            "model",
            "seed ensemble",
            "single",
            new BestFile.Score(Double.NaN, Double.NaN),
            new BestFile.Score(Double.NaN, Double.NaN),
            List.of(),
            false);
    CrossFitEstimate estimate = CrossFitEstimate.of(round).orElseThrow();
    String text = BestFile.json("s", Objective.ACCURACY, best, Map.of(), fin, estimate);
    BestFile.Expected e = BestFile.read(text, "best.json").expected();
    // Trial 1 leads on both halves (0.875 and 0.625): its own other halves, averaged.
    assertEquals(new BestFile.Expected(0.75, 0.75, estimate.method(), 1, 1, 2, Double.NaN), e);
    assertTrue(text.contains("\"test\" : null"), text);

    String none = BestFile.json("s", Objective.ACCURACY, best, Map.of(), fin, null);
    BestFile.Expected absent = BestFile.read(none, "best.json").expected();
    assertFalse(absent.available());
    assertEquals(0.75, absent.validation());
    assertTrue(none.contains("\"selectionCorrected\" : null"), none);
    assertTrue(absent.method().startsWith("not available"), absent.method());

    var old = (com.fasterxml.jackson.databind.node.ObjectNode) Cells.JSON.readTree(text);
    old.remove("expected");
    assertEquals(null, BestFile.read(Cells.pretty(old), "old best.json").expected());
  }

  @Test
  void trialsComeBackTypedWithTheirStatusAndParameters() {
    TrialResult r =
        result(3, 0.8125, Map.of("learningRate", 0.01, "units", 64, "optimizer", "adam"));
    List<TrialRecord> back = TrialTable.read(TrialTable.json(List.of(r)), "trials.json");
    TrialRecord t = back.get(0);
    assertEquals(Status.OK, t.status());
    assertEquals(Objective.ACCURACY, t.metric());
    assertEquals(0.8125, t.mean());
    assertEquals(15L, t.seed());
    assertEquals(Map.of("learningRate", 0.01, "units", 64, "optimizer", "adam"), t.params());
  }

  @Test
  void csvAndParquetShareOneColumnListAndJsonHoldsTheSameNames() {
    TrialResult r = result(1, 0.5, Map.of("units", 16, "batchNorm", true));
    FlatTable flat = TrialTable.flat(List.of(r));
    List<String> names = flat.fields().stream().map(FlatTable.Field::name).toList();
    assertEquals(String.join(",", names), flat.csv().lines().findFirst().orElseThrow());
    assertEquals(Column.Type.DOUBLE, flat.fields().get(names.indexOf("units")).type());
    assertEquals(Column.Type.BOOLEAN, flat.fields().get(names.indexOf("batchNorm")).type());
    var json = TrialTable.node(r);
    for (Column<TrialResult> c : TrialTable.COLUMNS) {
      assertTrue(json.has(c.name()) && names.contains(c.name()), c.name());
    }

    FlatTable replicates = ReplicateTable.flat(List.of(ok(1, 0.5), DIVERGED));
    List<String> flatNames = replicates.fields().stream().map(FlatTable.Field::name).toList();
    assertTrue(flatNames.contains("trainingMillis") && !flatNames.contains("trainingNanos"));
    assertEquals(3L, replicates.rows().get(0).get(flatNames.indexOf("trainingMillis")));
    String reasonOn = replicates.csv().lines().toList().get(2).split(",", 11)[10];
    assertTrue(reasonOn.startsWith("\"loss NaN, at epoch 1\","), reasonOn);
    List<Object> first = replicates.rows().get(0);
    assertEquals("0.00200 0.0500;0.00100 NaN", first.get(flatNames.indexOf("updateRatios")));
    assertEquals(2.3, first.get(flatNames.indexOf("initialLoss")));
    assertEquals(0.05, first.get(flatNames.indexOf("updateRatioMax")));
    assertEquals("driver", first.get(flatNames.indexOf("executor")));
    assertEquals(0.625, first.get(flatNames.indexOf("validationAccuracyA")));
    assertEquals(0.375, first.get(flatNames.indexOf("validationAccuracyB")));
    assertEquals(1.0, first.get(flatNames.indexOf("validationLossB")));
    assertTrue(
        first
            .get(flatNames.indexOf("babysitting"))
            .toString()
            .startsWith("update/weight ratio outside 1e-04..1e-02 in 2 of 4 (epoch, layer) pairs"),
        first.get(flatNames.indexOf("babysitting")).toString());
    assertEquals(null, replicates.rows().get(1).get(flatNames.indexOf("executor")));
  }

  @Test
  void aRegionFileComesBackWithItsDomainsAndRules() {
    Domain before = new Domain.Log(1e-4, 1e-1);
    Domain after = new Domain.Log(1e-4, 3e-1);
    Region region = new Region(Map.of("learningRate", before, "units", new Domain.Pow2(16, 64)));
    NarrowingRecord n =
        new NarrowingRecord("learningRate", before, after, Rule.WIDENED_HIGH, 2, "crowded high");
    RoundRecord rec = new RoundRecord(0, 2, region, List.of(), List.of(), List.of(n));

    RegionFile.Round back = RegionFile.read(RegionFile.json(rec), "region.json");
    assertEquals(region.domains(), back.bounds());
    assertEquals(before.describe(), back.sampled().get("learningRate"));
    RegionFile.Narrowing m = back.narrowing().get(0);
    assertEquals(Rule.WIDENED_HIGH, m.rule());
    assertTrue(m.atEdge());
    assertEquals(after, m.newBounds());
  }

  @Test
  void aBrokenRecordIsNamedByFileAndLine() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ReplicateTable.read("{\"round\":0}\n", "r/replicates.jsonl"));
    assertTrue(e.getMessage().startsWith("r/replicates.jsonl: line 1"), e.getMessage());
  }

  @Test
  void theMedianAveragesTheMiddlePairForShowAndReportAlike() {
    List<TrialRecord> four =
        TrialTable.read(
            TrialTable.json(
                List.of(
                    result(0, 0.9, Map.of()),
                    result(1, 0.7, Map.of()),
                    result(2, 0.8, Map.of()),
                    result(3, 0.6, Map.of()))),
            "trials.json");
    RoundSummary s = RoundSummary.of(0, 2, four);
    assertEquals(0.9, s.best());
    assertEquals((0.7 + 0.8) / 2, s.median(), 1e-15);
    assertEquals(0.8, RoundSummary.of(0, 2, four.subList(0, 3)).median());
  }
}
