package dev.caviar.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
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
}
