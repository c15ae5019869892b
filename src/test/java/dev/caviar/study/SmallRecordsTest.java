package dev.caviar.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SmallRecordsTest {

  @Test
  void onlyTheFinalRoundOfAPlanIsLast() {
    assertTrue(new RoundPlan(2, 3, 1, 0).isLast());
    assertFalse(new RoundPlan(1, 3, 1, 0).isLast());
    assertTrue(new RoundPlan(0, 1, 1, 0).isLast());
    assertThrows(IllegalArgumentException.class, () -> new RoundPlan(3, 3, 1, 0));
    assertThrows(IllegalArgumentException.class, () -> new RoundPlan(-1, 3, 1, 0));
  }

  @Test
  void roundsNeedATrialAndAnEpoch() {
    new RoundSpec(1, 1);
    assertThrows(IllegalArgumentException.class, () -> new RoundSpec(0, 1));
    assertThrows(IllegalArgumentException.class, () -> new RoundSpec(1, 0));
  }

  @Test
  void epochsOfALearningCurveCountFromOne() {
    assertEquals(1, new EpochRecord(1, 0.5, 0.5, 0.5).epoch());
    assertThrows(IllegalArgumentException.class, () -> new EpochRecord(0, 0.5, 0.5, 0.5));
  }

  @Test
  void aReplicateIsFlaggedWhenItsInitialLossStraysFromLnCOrARatioLeavesTheBand() {
    java.util.List<EpochRecord> healthy =
        java.util.List.of(new EpochRecord(1, 2, 2, 0.5, java.util.List.of(1e-4, 1e-3, 1e-2)));
    double ln10 = Math.log(10);
    ReplicateScore ok =
        ReplicateScore.ok(0, 1, 0, 3, 0.5, 2, 2, 1, healthy, 1).withInitialLoss(2.3, ln10);
    assertEquals("", ok.babysitting(), "band edges and a start within 10% of ln C pass");
    assertTrue(ok.withInitialLoss(2.6, ln10).babysitting().startsWith("initial loss 2.6"));
    assertEquals("", ok.withInitialLoss(Double.NaN, Double.NaN).babysitting(), "never started");
    java.util.List<EpochRecord> wild =
        java.util.List.of(
            new EpochRecord(1, 2, 2, 0.5, java.util.List.of(2e-3, 0.02)),
            new EpochRecord(2, 2, 2, 0.5, java.util.List.of(5e-5, 0.3)));
    ReplicateScore high =
        ReplicateScore.ok(0, 1, 0, 3, 0.5, 2, 2, 2, wild, 1).withInitialLoss(2.3, ln10);
    assertEquals(
        "update/weight ratio outside 1e-04..1e-02 in 3 of 4 (epoch, layer) pairs, worst 0.300"
            + " (epoch 2, layer 2)",
        high.babysitting());
    assertEquals(5e-5, high.minUpdateRatio());
    assertEquals(0.3, high.maxUpdateRatio());
  }

  @Test
  void objectivesAreParsedByTheirConfigNames() {
    for (Objective o : Objective.values()) {
      assertEquals(o, Objective.parse("study.metric", o.configName()));
    }
    assertEquals("accuracy", Objective.ACCURACY.configName());
    assertThrows(IllegalArgumentException.class, () -> Objective.parse("study.metric", "acc"));
  }
}
