package dev.caviar.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TrainerTest {

  /** Gaussian blobs: class c centred at a random point, unit noise; standardised-looking. */
  static DataView blobs(int n, int width, int classes, double spread, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    double[][] centres = new double[classes][width];
    for (double[] c : centres) {
      for (int i = 0; i < width; i++) {
        c[i] = spread * rng.nextGaussian();
      }
    }
    float[] f = new float[n * width];
    int[] labels = new int[n];
    for (int j = 0; j < n; j++) {
      labels[j] = rng.nextInt(classes);
      for (int i = 0; i < width; i++) {
        f[j * width + i] = (float) (centres[labels[j]][i] + rng.nextGaussian());
      }
    }
    return DataView.of(f, labels, width);
  }

  private static NetworkSpec.Builder net(int inputs, int classes) {
    return NetworkSpec.builder(inputs, classes).hidden(32, 16).batchSize(32).epochs(3);
  }

  @Test
  void initialLossIsWithinTenPercentOfLnC() {
    DataView data = blobs(256, 40, 10, 0.5, 1);
    for (NetworkSpec spec :
        new NetworkSpec[] {
          net(40, 10).epochs(1).build(),
          net(40, 10).epochs(1).batchNorm(false).activation(Activation.TANH).build(),
          net(40, 10).epochs(1).activation(Activation.SIGMOID).build()
        }) {
      TrainingResult r = Trainer.train(spec, data, null, 3);
      assertEquals(Math.log(10), r.lnClasses(), 1e-12);
      assertEquals(
          r.lnClasses(), r.initialLoss(), 0.1 * r.lnClasses(), spec.activation().configName());
    }
  }

  @Test
  void overfitsATinyDatasetToFullTrainingAccuracy() {
    // Random labels: only memorisation can reach 100%.
    SplittableRandom rng = new SplittableRandom(5);
    int n = 24;
    int d = 8;
    float[] f = new float[n * d];
    int[] labels = new int[n];
    for (int i = 0; i < f.length; i++) {
      f[i] = (float) rng.nextGaussian();
    }
    for (int j = 0; j < n; j++) {
      labels[j] = rng.nextInt(4);
    }
    DataView data = DataView.of(f, labels, d);
    NetworkSpec spec =
        NetworkSpec.builder(d, 4)
            .hidden(64, 64)
            .batchSize(n)
            .learningRate(1e-2)
            .epochs(300)
            .build();
    TrainingResult r = Trainer.train(spec, data, data, 11);
    assertEquals(TrainingResult.Status.OK, r.status(), r.reason());
    assertEquals(1.0, r.validationAccuracy(), "inference-mode accuracy on the training set");
    assertEquals(1.0, r.model().evaluate(data).accuracy());
  }

  @Test
  void learnsSeparableBlobs() {
    DataView train = blobs(1000, 20, 5, 1.0, 2);
    TrainingResult r = Trainer.train(net(20, 5).epochs(5).build(), train, train, 4);
    assertEquals(5, r.history().size());
    assertTrue(r.validationAccuracy() > 0.95, "accuracy " + r.validationAccuracy());
    EpochStats first = r.history().get(0);
    EpochStats last = r.history().get(4);
    assertTrue(last.trainLoss() < first.trainLoss(), r.history().toString());
    for (double ratio : last.updateRatioPerLayer()) {
      assertTrue(ratio > 1e-6 && ratio < 1, "update/weight ratio " + ratio);
    }
    assertEquals(5 * 1000L, r.examplesSeen());
  }

  /**
   * Adam (the default) and RMSprop. Plain SGD and momentum at lr 10 are left out: with BN in front
   * of every activation their loss hovers at about twice ln C without exploding (measured, chance
   * accuracy), which the divergence rule does not call diverged.
   */
  @Test
  void learningRateTenDivergesInTheFirstEpochWithoutNaNScores() {
    DataView data = blobs(512, 20, 5, 0.2, 3);
    for (OptimizerSpec opt :
        new OptimizerSpec[] {OptimizerSpec.rmsprop(0.9, 1e-8), OptimizerSpec.adam()}) {
      NetworkSpec spec = net(20, 5).optimizer(opt).learningRate(10).batchSize(16).build();
      TrainingResult r = Trainer.train(spec, data, data, 9);
      assertEquals(TrainingResult.Status.DIVERGED, r.status(), opt.kind().configName());
      assertEquals(0, r.divergedEpoch());
      assertTrue(r.divergedBatch() > 0, "the first batch defines the initial loss");
      assertFalse(r.reason().isEmpty());
      assertFalse(Double.isNaN(r.validationLoss()));
      assertFalse(Double.isNaN(r.validationAccuracy()));
      assertFalse(Double.isNaN(r.initialLoss()));
      assertNull(r.model());
    }
  }

  @Test
  void sameSeedIsBitIdenticalOtherSeedDiffers() {
    DataView data = blobs(300, 12, 3, 1.0, 4);
    NetworkSpec spec = net(12, 3).dropout(0.2).l2(1e-3).build();
    TrainingResult a = Trainer.train(spec, data, data, 77);
    TrainingResult b = Trainer.train(spec, data, data, 77);
    TrainingResult c = Trainer.train(spec, data, data, 78);
    for (int k = 0; k < 3; k++) {
      assertArrayEquals(a.model().weights(k), b.model().weights(k));
    }
    assertArrayEquals(a.model().gamma(0), b.model().gamma(0));
    assertArrayEquals(a.model().runningVar(1), b.model().runningVar(1));
    assertEquals(a.validationLoss(), b.validationLoss());
    for (int e = 0; e < 3; e++) {
      assertEquals(a.history().get(e).trainLoss(), b.history().get(e).trainLoss());
    }
    assertFalse(Arrays.equals(a.model().weights(0), c.model().weights(0)));
    assertTrue(a.validationLoss() != c.validationLoss());
  }

  @Test
  void inferenceUsesRunningAveragesNotBatchStatistics() throws Exception {
    DataView data = blobs(200, 10, 4, 1.0, 6);
    Model model = Trainer.train(net(10, 4).build(), data, null, 1).model();
    float[] all = new float[200 * 4];
    model.predictProbabilities(data, all);
    // The same examples in another company: reversed, and a small batch of three.
    int[] reversed = new int[200];
    for (int i = 0; i < 200; i++) {
      reversed[i] = 199 - i;
    }
    float[] rev = new float[200 * 4];
    model.predictProbabilities(data.select(reversed), rev);
    float[] three = new float[3 * 4];
    model.predictProbabilities(data.select(new int[] {17, 3, 150}), three);
    float[] one = new float[4];
    for (int i : new int[] {3, 17, 150}) {
      model.predictProbabilities(data.features(), i * 10, one);
      for (int c = 0; c < 4; c++) {
        assertEquals(all[i * 4 + c], one[c], 1e-5);
        assertEquals(all[i * 4 + c], rev[(199 - i) * 4 + c], 1e-5);
      }
    }
    for (int c = 0; c < 4; c++) {
      assertEquals(all[17 * 4 + c], three[c], 1e-5);
    }
    // The running averages are what inference uses: they moved away from their start (0, 1).
    assertTrue(model.runningMean(0)[0] != 0f && model.runningVar(0)[0] != 1f);
  }

  /** One example through the formula gamma (z - runningMean) / sqrt(runningVar + eps) + beta. */
  @Test
  void inferenceMatchesTheRunningAverageFormula() {
    DataView data = blobs(120, 5, 3, 1.0, 14);
    NetworkSpec spec = net(5, 3).hidden(7).bnEpsilon(1e-3).build();
    Model model = Trainer.train(spec, data, null, 2).model();
    int row = 42;
    double[] a = new double[5];
    for (int t = 0; t < 5; t++) {
      a[t] = data.features()[row * 5 + t];
    }
    double[] h = new double[7];
    for (int i = 0; i < 7; i++) {
      double z = 0;
      for (int t = 0; t < 5; t++) {
        z += model.weights(0)[i + t * 7] * a[t];
      }
      double y =
          model.gamma(0)[i]
                  * (z - model.runningMean(0)[i])
                  / Math.sqrt(model.runningVar(0)[i] + 1e-3)
              + model.beta(0)[i];
      h[i] = Math.max(y, 0);
    }
    double[] logits = new double[3];
    double sum = 0;
    for (int c = 0; c < 3; c++) {
      logits[c] = model.bias(1)[c];
      for (int i = 0; i < 7; i++) {
        logits[c] += model.weights(1)[c + i * 3] * h[i];
      }
      sum += Math.exp(logits[c]);
    }
    float[] p = new float[3];
    model.predictProbabilities(data.features(), row * 5, p);
    for (int c = 0; c < 3; c++) {
      assertEquals(Math.exp(logits[c]) / sum, p[c], 1e-5);
    }
  }

  @Test
  void modelSerialisesAndScoresTheSame() throws Exception {
    DataView data = blobs(100, 6, 3, 1.0, 8);
    TrainingResult r = Trainer.train(net(6, 3).build(), data, data, 2);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(r.model());
    }
    Model copy;
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      copy = (Model) in.readObject();
    }
    assertEquals(r.validationLoss(), copy.evaluate(data).loss(), 1e-12);
    assertEquals(r.model().spec(), copy.spec());
  }

  @Test
  void trainsOnARowSubsetOfSharedArrays() {
    DataView data = blobs(400, 10, 3, 1.0, 9);
    int[] trainRows = new int[300];
    int[] validRows = new int[100];
    for (int i = 0; i < 400; i++) {
      if (i < 300) {
        trainRows[i] = i;
      } else {
        validRows[i - 300] = i;
      }
    }
    TrainingResult r =
        Trainer.train(net(10, 3).build(), data.select(trainRows), data.select(validRows), 3);
    assertNotNull(r.model());
    assertEquals(100, r.model().evaluate(data.select(validRows)).count());
    assertEquals(3 * 300L, r.examplesSeen());
  }

  @Test
  void batchNormSkipsALastBatchOfOneExample() {
    DataView data = blobs(65, 6, 3, 1.0, 13);
    TrainingResult bn = Trainer.train(net(6, 3).batchSize(16).epochs(2).build(), data, null, 1);
    assertEquals(2 * 64L, bn.examplesSeen());
    TrainingResult plain =
        Trainer.train(net(6, 3).batchSize(16).epochs(2).batchNorm(false).build(), data, null, 1);
    assertEquals(2 * 65L, plain.examplesSeen());
  }

  @Test
  void listenerCanStopEarly() {
    DataView data = blobs(100, 6, 3, 1.0, 10);
    TrainingResult r =
        Trainer.train(net(6, 3).epochs(10).build(), data, data, 1, stats -> stats.epoch() < 1);
    assertEquals(TrainingResult.Status.OK, r.status());
    assertEquals(2, r.history().size());
  }

  private static long allocated(Runnable r) {
    com.sun.management.ThreadMXBean bean =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    long before = bean.getCurrentThreadAllocatedBytes();
    r.run();
    return bean.getCurrentThreadAllocatedBytes() - before;
  }

  /**
   * Two more epochs of 5000 mini-batches each may allocate only per-epoch objects (the snapshot
   * Model, the stats), a few KB: one allocation per batch would add tens of KB.
   */
  @Test
  void steadyStateAllocatesNothingPerBatch() {
    DataView data = blobs(20_000, 8, 3, 1.0, 12);
    NetworkSpec.Builder b = NetworkSpec.builder(8, 3).hidden(16).batchSize(4).dropout(0.1);
    Trainer.train(b.epochs(1).build(), data, null, 1); // warm-up: JIT, class loading, BLAS
    long one = allocated(() -> Trainer.train(b.epochs(1).build(), data, null, 1));
    long three = allocated(() -> Trainer.train(b.epochs(3).build(), data, null, 1));
    long perEpoch = (three - one) / 2;
    assertTrue(perEpoch < 16_000, "bytes allocated per epoch of 5000 batches: " + perEpoch);
  }

  @Test
  void rejectsLabelsOutsideTheClasses() {
    DataView data = DataView.of(new float[] {1, 2, 3, 4}, new int[] {0, 3}, 2);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> Trainer.train(net(2, 3).build(), data, null, 1));
    assertEquals("train.labels[1]: must be in [0, 3), got 3", e.getMessage());
  }
}
