package dev.caviar.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Successive halving at a checkpoint: which epochs, who goes on, what the stopped ones record. */
class StoppingTest {
  private static final Stopping HALVING =
      new Stopping(Stopping.Rule.HALVING, List.of(0.34), 0.5, 1);

  private static Map<Integer, Trial> trials(int n) {
    Map<Integer, Trial> out = new TreeMap<>();
    for (int i = 0; i < n; i++) {
      out.put(10 + i, new Trial(2, 10 + i, 100 + i, new TreeMap<>(Map.of("x", i)), 30, -1));
    }
    return out;
  }

  private static ReplicateScore at(int trial, int shard, double accuracy, int epochs) {
    return ReplicateScore.ok(2, trial, shard, 7, accuracy, 1 - accuracy, 0.5, epochs, null, 1);
  }

  @Test
  void checkpointsAreSharesOfTheRoundsEpochsRoundedAndInsideTheRound() {
    assertEquals(List.of(10), HALVING.checkpoints(30));
    assertEquals(List.of(1), HALVING.checkpoints(4));
    assertEquals(List.of(), HALVING.checkpoints(1), "a one-epoch round has no checkpoint");
    Stopping two = new Stopping(Stopping.Rule.HALVING, List.of(0.2, 0.5), 0.5, 1);
    assertEquals(List.of(6, 15), two.checkpoints(30));
    assertEquals(List.of(1), two.checkpoints(2), "0.2 x 2 rounds to 0; 0.5 x 2 is 1");
    assertEquals(List.of(), Stopping.NONE.checkpoints(30), "no rule, no checkpoint");
    Stopping longOnly = new Stopping(Stopping.Rule.HALVING, List.of(0.17), 0.5, 10);
    assertEquals(List.of(), longOnly.checkpoints(4), "a round under minEpochs stops nothing");
    assertEquals(List.of(5), longOnly.checkpoints(30));
  }

  @Test
  void theBestHalfGoesOnAndTheRestStopWithTheirCheckpointScoreAndTheRule() {
    // Trials 10..14 at epoch 10: accuracies 0.80, 0.85 (tie with 13), 0.70, 0.85, 0.60.
    double[] acc = {0.80, 0.85, 0.70, 0.85, 0.60};
    List<ReplicateScore> scores = new ArrayList<>();
    for (int i = 0; i < acc.length; i++) {
      scores.add(at(10 + i, 0, acc[i], 10));
    }
    Stopping.Decision d = HALVING.decide(10, trials(5), scores, Objective.ACCURACY);
    // ceil(0.5 x 5) = 3 go on: the tie at 0.85 (11 before 13 by number), then 0.80.
    assertEquals(Set.of(10, 11, 13), d.goOn());
    assertEquals(3, d.training().size());
    assertEquals(2, d.finished().size());
    for (ReplicateScore r : d.finished()) {
      assertEquals(Status.STOPPED, r.status());
      assertEquals(10, r.epochsRun());
      assertTrue(r.reason().contains("epoch 10") && r.reason().contains("successive halving"));
    }
    ReplicateScore worst =
        d.finished().stream().filter(r -> r.trial() == 14).findFirst().orElseThrow();
    assertEquals(0.60, worst.validationAccuracy(), 0, "the checkpoint's score is kept");
    assertTrue(worst.reason().contains("ranked 5 of 5"), worst.reason());
  }

  @Test
  void aStoppedTrialRanksBelowEveryOkTrialButKeepsItsMean() {
    Trial t = trials(1).get(10);
    TrialResult stopped =
        TrialResult.aggregate(t, List.of(at(10, 0, 0.9, 10).stopped("x")), Objective.ACCURACY);
    assertEquals(Status.STOPPED, stopped.status());
    assertEquals(0.9, stopped.mean(), 0);
    assertEquals(Double.NEGATIVE_INFINITY, stopped.score());
  }

  @Test
  void replicatesThatDivergedEndAtTheCheckpointAndTheRestAreRankedWithoutThem() {
    List<ReplicateScore> scores = new ArrayList<>();
    scores.add(at(10, 0, 0.5, 10));
    scores.add(at(10, 1, 0.7, 10));
    scores.add(ReplicateScore.notOk(2, 11, 0, 7, Status.DIVERGED, "loss is NaN", 3, null, 1));
    scores.add(ReplicateScore.notOk(2, 11, 1, 7, Status.DIVERGED, "loss is NaN", 4, null, 1));
    scores.add(at(12, 0, 0.55, 10));
    scores.add(at(12, 1, 0.56, 10));
    scores.add(at(13, 0, 0.2, 10));
    scores.add(ReplicateScore.notOk(2, 13, 1, 7, Status.DIVERGED, "loss is NaN", 2, null, 1));
    Stopping.Decision d = HALVING.decide(10, trials(4), scores, Objective.ACCURACY);
    // Four trials entered: two go on, by mean: 10 (0.60) and 12 (0.555).
    assertEquals(Set.of(10, 12), d.goOn());
    assertEquals(4, d.training().size());
    long diverged = d.finished().stream().filter(r -> r.status() == Status.DIVERGED).count();
    assertEquals(3, diverged, "the diverged replicates end as they were");
    assertEquals(
        List.of(13),
        d.finished().stream()
            .filter(r -> r.status() == Status.STOPPED)
            .map(ReplicateScore::trial)
            .toList());
  }

  @Test
  void byLossTheLowestGoesOn() {
    List<ReplicateScore> scores = List.of(at(10, 0, 0.9, 10), at(11, 0, 0.6, 10));
    Stopping.Decision d = HALVING.decide(10, trials(2), scores, Objective.LOSS);
    // at() sets the loss to 1 - accuracy: trial 10 has the lower loss.
    assertEquals(Set.of(10), d.goOn());
  }

  @Test
  void badSettingsNameTheKeyAndTheRule() {
    assertEquals(
        "study.stopping.keep: must be in (0, 1), got 1.0",
        assertThrows(
                IllegalArgumentException.class,
                () -> new Stopping(Stopping.Rule.HALVING, List.of(0.5), 1, 1))
            .getMessage());
    assertEquals(
        "study.stopping.at[1]: must be greater than the one before (0.5), got 0.3",
        assertThrows(
                IllegalArgumentException.class,
                () -> new Stopping(Stopping.Rule.HALVING, List.of(0.5, 0.3), 0.5, 1))
            .getMessage());
    assertEquals(
        "study.stopping.at[0]: must be in (0, 1), got 0.0",
        assertThrows(
                IllegalArgumentException.class,
                () -> new Stopping(Stopping.Rule.HALVING, List.of(0.0), 0.5, 1))
            .getMessage());
    assertEquals(
        "study.stopping.rule: must be none or halving, got 'median'",
        assertThrows(
                IllegalArgumentException.class,
                () -> Stopping.Rule.parse("study.stopping.rule", "median"))
            .getMessage());
  }
}
