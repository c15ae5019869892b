package dev.caviar.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * A run paused at a checkpoint and advanced later is the uninterrupted run, bit for bit: what lets
 * a round with early stopping take its survivors up where they stopped.
 */
class TrainingRunTest {
  private static final DataView DATA = TrainerTest.blobs(600, 12, 4, 0.6, 11);
  private static final DataView TRAIN = DATA.select(IntStream.range(0, 480).toArray());
  private static final DataView VALIDATION = DATA.select(IntStream.range(480, 600).toArray());

  // Everything that carries state across epochs: batch norm, dropout masks, Adam's moments and
  // step count, a decaying rate, a last mini-batch that does not divide the rows.
  private static NetworkSpec spec(int epochs) {
    return NetworkSpec.builder(12, 4)
        .hidden(24, 16)
        .batchSize(50)
        .dropout(0.2)
        .optimizer(OptimizerSpec.adam(0.9, 0.999, 1e-8))
        .learningRate(3e-3)
        .decay(DecaySpec.exponential(0.3))
        .epochs(epochs)
        .build();
  }

  private static void assertSameRun(TrainingResult expected, TrainingResult actual) {
    assertEquals(expected.history().size(), actual.history().size());
    for (int e = 0; e < expected.history().size(); e++) {
      EpochStats a = expected.history().get(e);
      EpochStats b = actual.history().get(e);
      assertEquals(a.trainLoss(), b.trainLoss(), 0, "train loss, epoch " + e);
      assertEquals(a.validationLoss(), b.validationLoss(), 0, "validation loss, epoch " + e);
      assertEquals(a.validationAccuracy(), b.validationAccuracy(), 0, "accuracy, epoch " + e);
      assertArrayEquals(a.updateRatioPerLayer(), b.updateRatioPerLayer(), 0, "ratios " + e);
    }
    assertEquals(expected.initialLoss(), actual.initialLoss(), 0);
    assertEquals(expected.examplesSeen(), actual.examplesSeen());
    List<Model.Layer> x = expected.model().layers();
    List<Model.Layer> y = actual.model().layers();
    for (int k = 0; k < x.size(); k++) {
      assertArrayEquals(x.get(k).weights(), y.get(k).weights(), 0, "weights of layer " + k);
      assertArrayEquals(x.get(k).bias(), y.get(k).bias(), 0, "bias of layer " + k);
      assertArrayEquals(x.get(k).runningMean(), y.get(k).runningMean(), 0, "running mean " + k);
      assertArrayEquals(x.get(k).runningVar(), y.get(k).runningVar(), 0, "running var " + k);
    }
  }

  @Test
  void pausedAtCheckpointsAndAdvancedIsTheUninterruptedRun() {
    TrainingResult whole = Trainer.train(spec(7), TRAIN, VALIDATION, 5);
    TrainingRun run = TrainingRun.start(spec(7), TRAIN, VALIDATION, 5);
    run.advance(2, EpochListener.NONE);
    assertEquals(2, run.epochsDone());
    assertFalse(run.finished());
    // The paused run's figures are the whole run's at that epoch.
    TrainingResult atTwo = run.result();
    assertEquals(whole.history().get(1).validationAccuracy(), atTwo.validationAccuracy(), 0);
    assertEquals(whole.history().get(1).validationLoss(), atTwo.validationLoss(), 0);
    run.advance(5, EpochListener.NONE);
    run.advance(100, EpochListener.NONE);
    assertTrue(run.finished());
    assertEquals(7, run.epochsDone(), "advance stops at the spec's epochs");
    assertSameRun(whole, run.result());
  }

  @Test
  void aRunStartedAgainFromItsSeedReachesTheSameCheckpoint() {
    TrainingRun a = TrainingRun.start(spec(6), TRAIN, VALIDATION, 9).advance(3, EpochListener.NONE);
    TrainingRun b = TrainingRun.start(spec(6), TRAIN, VALIDATION, 9).advance(3, EpochListener.NONE);
    assertSameRun(a.result(), b.result());
    assertTrue(a.stateFloats() > 0);
  }

  @Test
  void aDivergedRunStaysDivergedAndAdvancesNoFurther() {
    NetworkSpec wild =
        NetworkSpec.builder(12, 4)
            .hidden(24)
            .batchNorm(false)
            .optimizer(OptimizerSpec.sgd())
            .learningRate(80)
            .epochs(6)
            .build();
    TrainingRun run = TrainingRun.start(wild, TRAIN, VALIDATION, 1).advance(3, EpochListener.NONE);
    assertTrue(run.diverged(), "a learning rate of 80 without batch norm explodes");
    assertTrue(run.finished());
    int epochs = run.epochsDone();
    run.advance(6, EpochListener.NONE);
    assertEquals(epochs, run.epochsDone());
    assertEquals(TrainingResult.Status.DIVERGED, run.result().status());
    assertNull(run.result().model());
  }

  @Test
  void aFinishedRunContinuedOnAllRowsCarriesItsStateAndScheduleOn() {
    // A rate at which 4 epochs get far from the initial loss.
    NetworkSpec quick = spec(4).toBuilder().learningRate(0.03).build();
    TrainingRun run = TrainingRun.start(quick, TRAIN, VALIDATION, 5).advance(4, EpochListener.NONE);
    TrainingResult round = run.result();
    TrainingResult continued =
        run.continueOn(DATA, 3).advance(Integer.MAX_VALUE, EpochListener.NONE).result();

    assertEquals(TrainingResult.Status.OK, continued.status());
    assertEquals(7, continued.history().size(), "the round's 4 epochs, then 3 on all rows");
    for (int e = 0; e < 4; e++) {
      assertEquals(round.history().get(e), continued.history().get(e), "epoch " + e + " kept");
    }
    for (int e = 4; e < 7; e++) {
      EpochStats stats = continued.history().get(e);
      assertEquals(e, stats.epoch());
      assertEquals(
          DecaySpec.exponential(0.3).learningRate(0.03, e),
          stats.learningRate(),
          0,
          "the decay schedule goes on at epoch " + e);
      assertTrue(Double.isNaN(stats.validationAccuracy()), "nothing is left to validate on");
    }
    assertEquals(round.examplesSeen() + 3L * DATA.size(), continued.examplesSeen());
    // Taken up where it ended, not started again: the first epoch on all rows starts from the
    // round's low loss, where a new network starts near ln 4.
    double roundLoss = round.history().get(3).trainLoss();
    double firstOnAll = continued.history().get(4).trainLoss();
    assertTrue(
        firstOnAll < 0.5 * round.initialLoss() && firstOnAll < 2 * roundLoss,
        "first epoch on all rows: loss " + firstOnAll + ", the round ended at " + roundLoss);
    // It trained: the network is no longer the round's.
    assertFalse(
        java.util.Arrays.equals(
            round.model().layers().get(0).weights(), continued.model().layers().get(0).weights()));

    // The same run continued again gives the same network, bit for bit.
    TrainingResult again =
        TrainingRun.start(quick, TRAIN, VALIDATION, 5)
            .advance(4, EpochListener.NONE)
            .continueOn(DATA, 3)
            .advance(Integer.MAX_VALUE, EpochListener.NONE)
            .result();
    assertSameRun(continued, again);
  }

  @Test
  void aContinuationAtAScaledRateFollowsTheScheduleTimesTheScale() {
    NetworkSpec quick = spec(4).toBuilder().learningRate(0.03).build();
    TrainingRun run = TrainingRun.start(quick, TRAIN, VALIDATION, 5).advance(4, EpochListener.NONE);
    TrainingResult continued =
        run.continueOn(DATA, 2, 0.1).advance(Integer.MAX_VALUE, EpochListener.NONE).result();
    for (int e = 4; e < 6; e++) {
      assertEquals(
          0.1 * DecaySpec.exponential(0.3).learningRate(0.03, e),
          continued.history().get(e).learningRate(),
          1e-15,
          "a tenth of the schedule at epoch " + e);
    }
    TrainingRun other =
        TrainingRun.start(quick, TRAIN, VALIDATION, 5).advance(4, EpochListener.NONE);
    for (double bad : new double[] {0, -0.5, 1.5, Double.NaN}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> other.continueOn(DATA, 2, bad));
      assertEquals("rateScale: must be in (0, 1], got " + bad, e.getMessage());
    }
  }

  @Test
  void onlyARunThatEndedWithoutDivergingGoesOn() {
    TrainingRun paused =
        TrainingRun.start(spec(4), TRAIN, VALIDATION, 5).advance(2, EpochListener.NONE);
    IllegalStateException early =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalStateException.class, () -> paused.continueOn(DATA, 2));
    assertTrue(early.getMessage().contains("at epoch 2"), early.getMessage());
    TrainingRun ended = paused.advance(4, EpochListener.NONE);
    IllegalArgumentException none =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class, () -> ended.continueOn(DATA, 0));
    assertEquals("extra: must be >= 1, got 0", none.getMessage());
  }

  @Test
  void aRunExtendedToMoreEpochsIsTheRunStartedWithThem() {
    // A trial carried into the next round (study.carried = continue): its run ended at 3 epochs
    // goes on to 7, and is the 7-epoch run from the same seed, curve, weights and statistics.
    TrainingResult whole = Trainer.train(spec(7), TRAIN, VALIDATION, 5);
    TrainingRun ended = TrainingRun.start(spec(3), TRAIN, VALIDATION, 5);
    ended.advance(3, EpochListener.NONE);
    assertTrue(ended.finished());
    TrainingRun extended = ended.extendTo(7);
    assertFalse(extended.finished());
    assertEquals(3, extended.epochsDone());
    assertEquals(0, extended.trainingNanos(), "the clock counts the extension's epochs only");
    // Paused at a checkpoint in between, as a round with early stopping would.
    extended.advance(5, EpochListener.NONE);
    extended.advance(Integer.MAX_VALUE, EpochListener.NONE);
    assertTrue(extended.trainingNanos() > 0);
    assertSameRun(whole, extended.result());
  }

  @Test
  void onlyAnEndedRunIsExtendedAndNeverShortened() {
    TrainingRun paused =
        TrainingRun.start(spec(4), TRAIN, VALIDATION, 5).advance(2, EpochListener.NONE);
    IllegalStateException early =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalStateException.class, () -> paused.extendTo(6));
    assertTrue(early.getMessage().contains("at epoch 2"), early.getMessage());
    TrainingRun ended = paused.advance(4, EpochListener.NONE);
    IllegalArgumentException shorter =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class, () -> ended.extendTo(3));
    assertEquals("epochs: must be >= the 4 epochs done, got 3", shorter.getMessage());
    TrainingRun stopped =
        TrainingRun.start(spec(4), TRAIN, VALIDATION, 5).advance(4, stats -> stats.epoch() < 1);
    assertThrows(IllegalStateException.class, () -> stopped.extendTo(6));
  }
}
