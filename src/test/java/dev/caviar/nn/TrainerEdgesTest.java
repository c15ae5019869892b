package dev.caviar.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludovic.netlib.blas.BLAS;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The trainer's bookkeeping, to the exact figure: shuffles, masks, per-epoch statistics. */
class TrainerEdgesTest {

  /** Each of 4 elements lands in each of 4 positions about a quarter of the time. */
  @Test
  void theShuffleIsAUniformPermutation() {
    SplittableRandom rng = new SplittableRandom(5);
    int[][] counts = new int[4][4];
    int trials = 8000;
    for (int t = 0; t < trials; t++) {
      int[] order = {0, 1, 2, 3};
      Trainer.shuffle(order, rng);
      int mask = 0;
      for (int p = 0; p < 4; p++) {
        counts[order[p]][p]++;
        mask |= 1 << order[p];
      }
      assertEquals(15, mask, "a permutation");
    }
    double sd = Math.sqrt(trials * 0.25 * 0.75);
    for (int[] row : counts) {
      for (int c : row) {
        assertEquals(trials / 4.0, c, 5 * sd);
      }
    }
  }

  /** One batch per epoch: trainLoss is that batch's loss, taken before the update. */
  @Test
  void aOneBatchEpochReportsItsBatchLossItsAccuracyAndItsUpdateRatios() {
    DataView data = TrainerTest.blobs(40, 5, 3, 1.0, 8);
    NetworkSpec spec = NetworkSpec.builder(5, 3).hidden(6).batchSize(64).epochs(1).build();
    long before = System.nanoTime();
    TrainingResult r = Trainer.train(spec, data, null, 4);
    long wall = System.nanoTime() - before;
    EpochStats e = r.history().get(0);
    assertEquals(r.initialLoss(), e.trainLoss(), 1e-12);
    for (double q : e.updateRatioPerLayer()) {
      assertTrue(q > 1e-6 && q < 1, "ratio " + q);
    }
    assertTrue(r.trainingNanos() > 0 && r.trainingNanos() <= wall, "trainingNanos in the call");
    assertTrue(e.trainAccuracy() >= 0 && e.trainAccuracy() <= 1);
    assertEquals(spec, r.model().spec());
  }

  @Test
  void aDivergedRunTimesItsTrainingToo() {
    DataView data = TrainerTest.blobs(64, 4, 3, 1.0, 2);
    data.features()[5] = Float.NaN;
    NetworkSpec spec = NetworkSpec.builder(4, 3).batchNorm(false).batchSize(64).build();
    long before = System.nanoTime();
    TrainingResult r = Trainer.train(spec, data, null, 1);
    long wall = System.nanoTime() - before;
    assertTrue(r.diverged());
    assertTrue(r.trainingNanos() >= 0 && r.trainingNanos() <= wall);
  }

  /** The training-mode accuracy counts the batch's correct argmaxes, nothing else. */
  @Test
  void trainAccuracyIsTheShareOfCorrectArgmaxes() {
    NetworkSpec spec = NetworkSpec.builder(2, 2).batchSize(4).build();
    Network net = new Network(spec, BLAS.getInstance(), 4, 4, 1, 2);
    float[] w = {1, -1, 0, 0}; // logit0 = x0, logit1 = -x0
    System.arraycopy(w, 0, net.params, net.wOff[0], 4);
    float[] x = {1, 0, 2, 0, -1, 0, 3, 0};
    net.gather(DataView.of(x, new int[] {0, 1, 1, 0}, 2), new int[] {0, 1, 2, 3}, 0, 4);
    net.forwardLoss(4);
    assertEquals(3, net.lastCorrect);
  }

  /** Masks are drawn per batch: a network with 20% dropout still learns separable blobs. */
  @Test
  void dropoutTrainingStillLearns() {
    DataView data = TrainerTest.blobs(400, 8, 3, 2.0, 3);
    NetworkSpec spec =
        NetworkSpec.builder(8, 3)
            .hidden(32)
            .dropout(0.2)
            .learningRate(0.01)
            .batchSize(32)
            .epochs(4)
            .build();
    TrainingResult r = Trainer.train(spec, data, data, 2);
    assertTrue(r.validationAccuracy() > 0.9, "accuracy " + r.validationAccuracy());
  }

  @Test
  void twoExamplesAreEnoughForBatchNormAndABatchOfTwoIsNormalised() {
    DataView two = TrainerTest.blobs(2, 3, 2, 1.0, 1);
    NetworkSpec spec = NetworkSpec.builder(3, 2).hidden(4).batchSize(2).epochs(1).build();
    assertEquals(2L, Trainer.train(spec, two, null, 1).examplesSeen());
    Network net = new Network(spec, BLAS.getInstance(), 2, 2, 1, 2);
    net.gather(two, new int[] {0, 1}, 0, 2);
    assertTrue(Double.isFinite(net.forwardLoss(2)));
    // Softmax regression has nothing to normalise: a batch of one is fine with BN on.
    NetworkSpec flat = NetworkSpec.builder(3, 2).batchSize(1).epochs(1).build();
    Network single = new Network(flat, BLAS.getInstance(), 1, 1, 1, 2);
    single.gather(two, new int[] {0}, 0, 1);
    assertTrue(Double.isFinite(single.forwardLoss(1)));
    assertEquals(1L, Trainer.train(flat, two.select(new int[] {1}), null, 1).examplesSeen());
  }

  @Test
  void ranksAndSizesAtTheirBoundaries() {
    new Network(NetworkSpec.builder(3, 2).build(), BLAS.getInstance(), 1, 1, 1, 2);
    IllegalArgumentException zero =
        assertThrows(
            IllegalArgumentException.class,
            () -> NetworkSpec.builder(3, 2).batchNorm(false).batchSize(0).build());
    assertEquals("batchSize: must be >= 1, got 0", zero.getMessage());
    IllegalArgumentException epochs =
        assertThrows(
            IllegalArgumentException.class, () -> NetworkSpec.builder(3, 2).epochs(0).build());
    assertEquals("epochs: must be >= 1, got 0", epochs.getMessage());
    IllegalArgumentException features =
        assertThrows(
            IllegalArgumentException.class, () -> DataView.of(new float[7], new int[2], 3));
    assertEquals(
        "DataView.features: length must be labels (2) x width (3) = 6, got 7",
        features.getMessage());
  }

  /** The L2 term shrinks the trained weights: the same run with lambda ends with smaller W. */
  @Test
  void l2ShrinksTheWeights() {
    DataView data = TrainerTest.blobs(200, 6, 3, 1.0, 4);
    NetworkSpec spec =
        NetworkSpec.builder(6, 3)
            .hidden(16)
            .optimizer(OptimizerSpec.sgd())
            .learningRate(0.1)
            .batchSize(20)
            .epochs(3)
            .build();
    double plain = norm(Trainer.train(spec, data, null, 3).model());
    double decayed = norm(Trainer.train(spec.toBuilder().l2(50).build(), data, null, 3).model());
    assertTrue(decayed < 0.95 * plain, decayed + " vs " + plain);
  }

  private static double norm(Model m) {
    double s = 0;
    for (int k = 0; k < 2; k++) {
      for (float w : m.weights(k)) {
        s += w * w;
      }
    }
    return s;
  }
}
