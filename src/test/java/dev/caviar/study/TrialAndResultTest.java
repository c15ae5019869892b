package dev.caviar.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class TrialAndResultTest {

  static Trial trial(int number) {
    TreeMap<String, Object> p = new TreeMap<>();
    p.put("units", 64);
    p.put("batchNorm", true);
    p.put("shuffle", false);
    p.put("learningRate", 0.01);
    p.put("optimizer", "adam");
    return new Trial(0, number, 42, p, 1, -1);
  }

  @Test
  void typedAccessorsReturnTheValueOrNameTheMisfit() {
    Trial t = trial(0);
    assertEquals(64, t.intParam("units"));
    assertTrue(t.booleanParam("batchNorm"));
    assertFalse(t.booleanParam("shuffle"));
    assertEquals(0.01, t.doubleParam("learningRate"));
    assertEquals(64.0, t.doubleParam("units"));
    assertEquals("adam", t.stringParam("optimizer"));
    assertTrue(t.has("units"));
    assertFalse(t.has("dropout"));
    assertThrows(IllegalArgumentException.class, () -> t.intParam("learningRate"));
    assertThrows(IllegalArgumentException.class, () -> t.booleanParam("optimizer"));
    assertThrows(IllegalArgumentException.class, () -> t.doubleParam("optimizer"));
    assertThrows(IllegalArgumentException.class, () -> t.intParam("dropout"));
  }

  @Test
  void eachShardHasItsOwnReproducibleSeed() {
    Trial t = trial(0);
    assertEquals(t.seedFor(1), trial(5).seedFor(1)); // a function of the base seed and shard only
    assertNotEquals(t.seedFor(0), t.seedFor(1));
    assertNotEquals(0, t.seedFor(0));
    assertNotEquals(t.seed(), t.seedFor(0));
  }

  static ReplicateScore ok(int shard, double accuracy) {
    return ReplicateScore.ok(0, 0, shard, shard, accuracy, 1 - accuracy, 0.1, 1, null, 0);
  }

  @Test
  void aggregateGivesTheSampleStatisticsOfTheOkReplicates() {
    List<ReplicateScore> rs =
        List.of(
            ok(3, 0.6),
            ok(0, 0.1),
            ReplicateScore.notOk(0, 0, 4, 4, Status.FAILED, "bad shard", 0, null, 0),
            ok(2, 0.3),
            ok(1, 0.2),
            ReplicateScore.notOk(0, 0, 5, 5, Status.DIVERGED, "loss NaN", 1, null, 0));
    TrialResult r = TrialResult.aggregate(trial(0), rs, Objective.ACCURACY);
    // Values 0.1, 0.2, 0.3, 0.6: mean 0.3, squared deviations 0.04 + 0.01 + 0 + 0.09 = 0.14.
    assertEquals(0.3, r.mean(), 1e-12);
    assertEquals(Math.sqrt(0.14 / 3), r.std(), 1e-12);
    assertEquals(Math.sqrt(0.14 / 3) / 2, r.standardError(), 1e-12);
    assertEquals(4, r.n());
    assertEquals(0.1, r.min(), 1e-12);
    assertEquals(0.6, r.max(), 1e-12);
    assertEquals(1, r.failed());
    assertEquals(1, r.diverged());
    List<Integer> shards = new ArrayList<>();
    r.replicates().forEach(x -> shards.add(x.shard()));
    assertEquals(List.of(0, 1, 2, 3, 4, 5), shards);
  }

  @Test
  void aTrialWithoutOkReplicatesHasNoStatisticsAndIsDivergedBeforeFailed() {
    ReplicateScore failed = ReplicateScore.notOk(0, 0, 0, 0, Status.FAILED, "bad", 0, null, 0);
    ReplicateScore diverged = ReplicateScore.notOk(0, 0, 1, 1, Status.DIVERGED, "NaN", 1, null, 0);
    TrialResult f = TrialResult.aggregate(trial(0), List.of(failed), Objective.ACCURACY);
    assertEquals(Status.FAILED, f.status());
    assertEquals(1, f.failed());
    assertEquals(0, f.diverged());
    assertTrue(Double.isNaN(f.mean()) && Double.isNaN(f.min()) && Double.isNaN(f.max()));
    assertEquals(Double.NEGATIVE_INFINITY, f.score());
    TrialResult d = TrialResult.aggregate(trial(0), List.of(failed, diverged), Objective.ACCURACY);
    assertEquals(Status.DIVERGED, d.status());
  }

  @Test
  void theStandardErrorNeedsTwoReplicates() {
    TrialResult one = TrialResult.aggregate(trial(0), List.of(ok(0, 0.5)), Objective.ACCURACY);
    assertEquals(0, one.standardError());
    TrialResult two =
        TrialResult.aggregate(trial(0), List.of(ok(0, 0.5), ok(1, 0.7)), Objective.ACCURACY);
    // std of {0.5, 0.7} is 0.1 * sqrt(2); divided by sqrt(2): 0.1.
    assertEquals(0.1, two.standardError(), 1e-12);
  }

  @Test
  void equalScoresRankByTrialNumber() {
    TrialResult a = TrialResult.aggregate(trial(7), List.of(), Objective.ACCURACY);
    TrialResult b = TrialResult.aggregate(trial(3), List.of(), Objective.ACCURACY);
    List<TrialResult> sorted = new ArrayList<>(List.of(a, b));
    sorted.sort(TrialResult.BEST_FIRST);
    assertEquals(3, sorted.get(0).trial().number());
  }
}
