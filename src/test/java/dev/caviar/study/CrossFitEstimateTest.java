package dev.caviar.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.caviar.nn.HalfScores;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The two-fold cross-fit of the last pick: picked on one half of the validation rows, scored on the
 * other, it is not flattered by the luck that made the winner.
 */
class CrossFitEstimateTest {

  // A replicate whose two halves hold as many rows, so its whole score is their mean.
  private static ReplicateScore replicate(
      Objective metric, int trial, int shard, double a, double b) {
    double whole = (a + b) / 2;
    boolean accuracy = metric == Objective.ACCURACY;
    return ReplicateScore.ok(
            0, trial, shard, shard, accuracy ? whole : 0.5, accuracy ? 0.5 : whole, 0.1, 1, null, 0)
        .withValidationHalves(
            accuracy ? new HalfScores(a, b, 0.5, 0.5) : new HalfScores(0.5, 0.5, a, b));
  }

  private static TrialResult trial(Objective metric, int number, double a, double b) {
    return result(metric, number, List.of(replicate(metric, number, 0, a, b)));
  }

  private static TrialResult result(Objective metric, int number, List<ReplicateScore> rs) {
    return TrialResult.aggregate(TrialAndResultTest.trial(number), rs, metric);
  }

  private static TrialResult winner(List<TrialResult> round) {
    return round.stream()
        .filter(t -> t.status() == Status.OK)
        .sorted(TrialResult.BEST_FIRST)
        .findFirst()
        .orElseThrow();
  }

  @Test
  void aWinnerLuckyOnOneHalfIsScoredBelowItsValidationScore() {
    Objective acc = Objective.ACCURACY;
    List<TrialResult> round =
        List.of(trial(acc, 0, 0.95, 0.85), trial(acc, 1, 0.88, 0.88), trial(acc, 2, 0.86, 0.89));
    assertEquals(0, winner(round).trial().number(), "trial 0 wins on all the rows: 0.90");
    CrossFitEstimate e = CrossFitEstimate.of(round).orElseThrow();
    assertEquals(0, e.pickedByA());
    assertEquals(0.85, e.onB());
    assertEquals(2, e.pickedByB());
    assertEquals(0.86, e.onA());
    assertEquals((0.85 + 0.86) / 2, e.estimate());
    assertTrue(e.estimate() < winner(round).mean());
    assertEquals(3, e.pool());
    assertTrue(e.corrects());
    assertEquals(
        "two-fold cross-fit over the last round's 3 OK trials: pick by one half of the validation"
            + " rows, score on the other",
        e.method());
  }

  @Test
  void forALossTheLowestHalfPicksAndTheEstimateIsAboveTheWinnersLoss() {
    Objective loss = Objective.LOSS;
    List<TrialResult> round =
        List.of(trial(loss, 0, 0.20, 0.40), trial(loss, 1, 0.32, 0.32), trial(loss, 2, 0.35, 0.30));
    assertEquals(0, winner(round).trial().number(), "trial 0 wins with a loss of 0.30");
    CrossFitEstimate e = CrossFitEstimate.of(round).orElseThrow();
    assertEquals(0, e.pickedByA());
    assertEquals(2, e.pickedByB());
    assertEquals((0.40 + 0.35) / 2, e.estimate(), 1e-15);
    assertTrue(e.estimate() > winner(round).mean());
  }

  @Test
  void withOneOkTrialItIsThatTrialsHalvesAveragedAndSaysNothingWasCorrected() {
    Objective acc = Objective.ACCURACY;
    TrialResult diverged =
        result(
            acc,
            1,
            List.of(ReplicateScore.notOk(0, 1, 0, 0, Status.DIVERGED, "loss NaN", 1, null, 0)));
    CrossFitEstimate e =
        CrossFitEstimate.of(List.of(diverged, trial(acc, 4, 0.9, 0.8))).orElseThrow();
    assertEquals(1, e.pool());
    assertFalse(e.corrects());
    assertEquals(4, e.pickedByA());
    assertEquals(4, e.pickedByB());
    assertEquals((0.8 + 0.9) / 2, e.estimate());
    assertTrue(e.method().endsWith("no selection to correct"), e.method());
    assertTrue(CrossFitEstimate.of(List.of(diverged)).isEmpty(), "no OK trial, no estimate");
    assertTrue(CrossFitEstimate.of(List.of()).isEmpty());
  }

  @Test
  void withoutHalvesThereIsNoEstimate() {
    Objective acc = Objective.ACCURACY;
    ReplicateScore old = replicate(acc, 1, 0, 0.9, 0.9).withValidationHalves(HalfScores.NONE);
    List<TrialResult> round = List.of(trial(acc, 0, 0.8, 0.8), result(acc, 1, List.of(old)));
    assertTrue(CrossFitEstimate.of(round).isEmpty());
    ReplicateScore halfMissing =
        replicate(acc, 2, 0, 0.9, 0.9)
            .withValidationHalves(new HalfScores(0.9, Double.NaN, 0.5, Double.NaN));
    assertTrue(CrossFitEstimate.of(List.of(result(acc, 2, List.of(halfMissing)))).isEmpty());
  }

  @Test
  void stoppedTrialsAreLeftOutAsTheWinnersPoolLeavesThemOut() {
    Objective acc = Objective.ACCURACY;
    TrialResult stopped =
        result(acc, 0, List.of(replicate(acc, 0, 0, 0.99, 0.99).stopped("early stop at 2")));
    assertEquals(Status.STOPPED, stopped.status());
    List<TrialResult> round =
        List.of(stopped, trial(acc, 1, 0.80, 0.70), trial(acc, 2, 0.75, 0.78));
    CrossFitEstimate e = CrossFitEstimate.of(round).orElseThrow();
    assertEquals(2, e.pool());
    assertEquals(1, e.pickedByA());
    assertEquals(2, e.pickedByB());
    assertEquals((0.70 + 0.75) / 2, e.estimate(), 1e-15);
  }

  @Test
  void tiesOnAHalfGoToTheLowerTrialNumberAsInTheRanking() {
    Objective acc = Objective.ACCURACY;
    List<TrialResult> round =
        new ArrayList<>(List.of(trial(acc, 5, 0.9, 0.8), trial(acc, 3, 0.9, 0.7)));
    CrossFitEstimate e = CrossFitEstimate.of(round).orElseThrow();
    assertEquals(3, e.pickedByA());
    assertEquals(0.7, e.onB());
    assertEquals(5, e.pickedByB());
    java.util.Collections.reverse(round);
    assertEquals(e, CrossFitEstimate.of(round).orElseThrow(), "the results' order does not matter");
  }

  @Test
  void aTrialsHalfIsTheMeanOverTheReplicatesItsScoreCounts() {
    Objective acc = Objective.ACCURACY;
    TrialResult three =
        result(
            acc,
            7,
            List.of(
                replicate(acc, 7, 0, 0.9, 0.8),
                replicate(acc, 7, 1, 0.7, 0.6),
                ReplicateScore.notOk(0, 7, 2, 2, Status.FAILED, "bad shard", 0, null, 0)));
    CrossFitEstimate e = CrossFitEstimate.of(List.of(three)).orElseThrow();
    assertEquals(0.7, e.onB(), 1e-15);
    assertEquals(0.8, e.onA(), 1e-15);
  }
}
