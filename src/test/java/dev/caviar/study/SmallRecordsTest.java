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
  void objectivesAreParsedByTheirConfigNames() {
    for (Objective o : Objective.values()) {
      assertEquals(o, Objective.parse("study.metric", o.configName()));
    }
    assertEquals("accuracy", Objective.ACCURACY.configName());
    assertThrows(IllegalArgumentException.class, () -> Objective.parse("study.metric", "acc"));
  }
}
