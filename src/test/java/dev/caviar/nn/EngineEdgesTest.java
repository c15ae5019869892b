package dev.caviar.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludovic.netlib.blas.BLAS;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The edges of the engine's rules: each validation's boundary value accepted, ties, blocks longer
 * than one accumulation block, empty and mismatched inputs, the per-epoch babysitting figures.
 */
class EngineEdgesTest {

  private static NetworkSpec.Builder b() {
    return NetworkSpec.builder(3, 2).hidden(4);
  }

  /** The closed ends of every interval the spec documents are legal values. */
  @Test
  void theInclusiveEndOfEachRangeIsAccepted() {
    NetworkSpec s =
        b().bnMomentum(0).dropout(0).l2(0).batchSize(2).epochs(1).divergenceFactor(1.0001).build();
    assertEquals(0, s.bnMomentum());
    assertEquals(2, NetworkSpec.builder(1, 2).build().classes());
    assertEquals(1, NetworkSpec.builder(1, 2).hidden(1).build().hidden().get(0));
    assertEquals(0.0, new OptimizerSpec(OptimizerSpec.Kind.SGD, 0, 0, 0, 1e-12).beta());
    assertEquals(0.0, DecaySpec.inverseTime(0).rate());
    assertEquals(1.0, DecaySpec.exponential(1).rate());
    assertEquals(1.0, DecaySpec.step(1, 1).rate());
    assertEquals(1, DecaySpec.step(0.5, 1).stepEpochs());
    assertEquals(1, DataView.of(new float[1], new int[1], 1).width());
    assertEquals(0, DataView.of(new float[3], new int[1], 3).select(new int[] {0}).row(0));
  }

  @Test
  void eachRangeRejectsItsFirstIllegalValueNamingKeyAndValue() {
    expect("bnMomentum: must be in [0, 1), got 1.0", () -> b().bnMomentum(1).build());
    expect("bnMomentum: must be in [0, 1), got -0.1", () -> b().bnMomentum(-0.1).build());
    expect("bnEpsilon: must be in (0, 1), got 1.0", () -> b().bnEpsilon(1).build());
    expect("dropout: must be in [0, 1), got -0.1", () -> b().dropout(-0.1).build());
    expect(
        "learningRate: must be > 0 and finite, got Infinity",
        () -> b().learningRate(Double.POSITIVE_INFINITY).build());
    expect("learningRate: must be > 0 and finite, got 0.0", () -> b().learningRate(0).build());
    expect(
        "l2: must be >= 0 and finite, got Infinity",
        () -> b().l2(Double.POSITIVE_INFINITY).build());
    expect(
        "divergenceFactor: must be > 1 and finite, got Infinity",
        () -> b().divergenceFactor(Double.POSITIVE_INFINITY).build());
    expect("hidden: must not be null", () -> b().hidden((List<Integer>) null).build());
    List<Integer> withNull = new ArrayList<>();
    withNull.add(null);
    expect("hidden[0]: must be >= 1, got null", () -> b().hidden(withNull).build());
    expect("activation: must not be null", () -> b().activation(null).build());
    expect("optimizer: must not be null", () -> b().optimizer(null).build());
    expect("decay: must not be null", () -> b().decay(null).build());
    expect(
        "init: must not be null",
        () ->
            new NetworkSpec(
                3,
                List.of(),
                2,
                Activation.RELU,
                true,
                0.9,
                1e-5,
                0,
                null,
                OptimizerSpec.adam(),
                0.1,
                DecaySpec.NONE,
                0,
                8,
                1,
                10));
    expect("optimizer.kind: must not be null", () -> OptimizerSpec.of(null));
    expect("optimizer.beta: must be in [0, 1), got -0.1", () -> OptimizerSpec.momentum(-0.1));
    expect("optimizer.beta2: must be in [0, 1), got 1.0", () -> OptimizerSpec.adam(0.9, 1, 1e-8));
    expect("optimizer.epsilon: must be in (0, 1), got 1.0", () -> OptimizerSpec.rmsprop(0.9, 1));
    expect("optimizer.epsilon: must be in (0, 1), got 0.0", () -> OptimizerSpec.rmsprop(0.9, 0));
    expect("decay.kind: must not be null", () -> new DecaySpec(null, 0, 1));
    expect(
        "decay.rate: must be >= 0 and finite for inverseTime, got -0.5",
        () -> DecaySpec.inverseTime(-0.5));
    expect(
        "decay.rate: must be >= 0 and finite for inverseTime, got Infinity",
        () -> DecaySpec.inverseTime(Double.POSITIVE_INFINITY));
    expect("decay.rate: must be in (0, 1] for step, got 0.0", () -> DecaySpec.step(0, 2));
    expect(
        "DataView: features and labels must not be null", () -> DataView.of(null, new int[0], 1));
    expect(
        "DataView: features and labels must not be null", () -> DataView.of(new float[0], null, 1));
    expect("DataView.width: must be >= 1, got 0", () -> DataView.of(new float[0], new int[0], 0));
    expect(
        "DataView.rows[0]: must be in [0, 2), got -1",
        () -> DataView.of(new float[2], new int[2], 1).select(new int[] {-1}));
  }

  private static void expect(String message, Runnable build) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build::run);
    assertEquals(message, e.getMessage());
  }

  @Test
  void argmaxTakesTheFirstOfTiedMaxima() {
    assertEquals(1, Kernels.argmax(new float[] {9, 1, 5, 5, 2}, 1, 4));
    assertEquals(0, Kernels.argmax(new float[] {3, 3, 3}, 0, 3));
    assertEquals(2, Kernels.argmax(new float[] {-3, -2, -1}, 0, 3));
  }

  /** Batch statistics over more columns than one float accumulation block (32) stay exact. */
  @Test
  void batchNormGradientsHoldForBatchesLongerThanOneAccumulationBlock() {
    NetworkSpec spec =
        NetworkSpec.builder(4, 3)
            .hidden(5)
            .activation(Activation.TANH)
            .l2(0.2)
            .batchSize(75)
            .build();
    java.util.SplittableRandom rng = new java.util.SplittableRandom(3);
    float[] f = new float[75 * 4];
    int[] y = new int[75];
    for (int i = 0; i < f.length; i++) {
      f[i] = (float) (1 + rng.nextGaussian());
    }
    for (int j = 0; j < 75; j++) {
      y[j] = rng.nextInt(3);
    }
    Network net = new Network(spec, BLAS.getInstance(), 75, 150, 1, 2);
    for (int i = net.weightCount; i < net.params.length; i++) {
      net.params[i] += (float) (0.5 * rng.nextGaussian());
    }
    int[] order = new int[75];
    for (int j = 0; j < 75; j++) {
      order[j] = j;
    }
    net.gather(DataView.of(f, y, 4), order, 0, 75);
    double loss = net.forwardLoss(75);
    net.backward(75);
    double[] p = new double[net.params.length];
    for (int i = 0; i < p.length; i++) {
      p[i] = net.params[i];
    }
    ReferenceNetwork ref = new ReferenceNetwork(net, 75, 150);
    assertEquals(ref.loss(p), loss, 1e-5 * loss);
    double[] g = ref.numericGradient(p, 1e-6);
    double diff = 0;
    double norm = 0;
    for (int i = 0; i < p.length; i++) {
      diff += (g[i] - net.grads[i]) * (g[i] - net.grads[i]);
      norm += g[i] * g[i];
    }
    assertTrue(Math.sqrt(diff / norm) < 2e-3, "relative error " + Math.sqrt(diff / norm));
  }

  @Test
  void everyEpochRecordsAPositiveUpdateRatioPerLayerAndItsLosses() {
    DataView data = TrainerTest.blobs(90, 5, 3, 1.0, 2);
    NetworkSpec spec = NetworkSpec.builder(5, 3).hidden(8, 6).batchSize(32).epochs(3).build();
    TrainingResult r = Trainer.train(spec, data, data, 3);
    assertEquals(3, r.history().size());
    for (EpochStats e : r.history()) {
      double[] ratios = e.updateRatioPerLayer();
      assertEquals(3, ratios.length);
      for (double q : ratios) {
        assertTrue(q > 1e-6 && q < 1, "ratio " + q);
      }
      assertTrue(e.trainLoss() > 0 && e.trainAccuracy() > 0 && e.trainAccuracy() <= 1);
      assertTrue(e.validationLoss() > 0 && e.validationAccuracy() > 0);
      ratios[0] = -1;
      assertTrue(e.updateRatioPerLayer()[0] > 0, "the record keeps its own copy");
    }
    assertEquals(r.history().get(2).validationLoss(), r.validationLoss());
    assertEquals(r.history().get(2).validationAccuracy(), r.validationAccuracy());
    assertEquals(r.model().evaluate(data).loss(), r.validationLoss(), 1e-12);
    assertTrue(r.trainingNanos() > 0);
    assertEquals(3 * 90L, r.examplesSeen());
    assertEquals(TrainingResult.Status.OK, r.status());
    assertFalse(r.diverged());
    assertEquals("", r.reason());
    assertEquals(-1, r.divergedEpoch());
  }

  @Test
  void aNanInTheValidationSetDivergesAfterTheEpoch() {
    DataView train = TrainerTest.blobs(64, 4, 3, 1.0, 2);
    DataView valid = TrainerTest.blobs(10, 4, 3, 1.0, 3);
    valid.features()[0] = Float.NaN;
    NetworkSpec spec = NetworkSpec.builder(4, 3).hidden(6).batchSize(32).epochs(2).build();
    TrainingResult r = Trainer.train(spec, train, valid, 1);
    assertTrue(r.diverged());
    assertEquals("validation loss is NaN after the epoch", r.reason());
    assertEquals(0, r.divergedEpoch());
    assertEquals(1, r.divergedBatch());
    assertEquals(64L, r.examplesSeen());
  }

  @Test
  void withoutValidationTheScoresAreNaNAndAnEmptyViewIsNoValidation() {
    DataView train = TrainerTest.blobs(40, 4, 3, 1.0, 2);
    NetworkSpec spec = NetworkSpec.builder(4, 3).hidden(6).batchSize(20).epochs(1).build();
    DataView empty = train.select(new int[0]);
    TrainingResult r = Trainer.train(spec, train, empty, 1);
    assertTrue(Double.isNaN(r.validationLoss()) && Double.isNaN(r.validationAccuracy()));
    assertTrue(Double.isNaN(r.history().get(0).validationLoss()));
    Model.Evaluation none = r.model().evaluate(empty);
    assertEquals(0, none.count());
    assertTrue(Double.isNaN(none.loss()) && Double.isNaN(none.accuracy()));
    expect(
        "train: must hold at least one example, got 0",
        () -> Trainer.train(spec.toBuilder().batchNorm(false).build(), empty, null, 1));
    expect(
        "validation.width: must equal the spec's inputs 4, got 2",
        () -> Trainer.train(spec, train, DataView.of(new float[4], new int[2], 2), 1));
  }

  /**
   * The halves ride along in the evaluation's one pass: each equals the view of its positions (even
   * or odd) evaluated alone, and weighted by their sizes they give back the whole view's scores.
   */
  @Test
  void theHalvesAreTheEvenAndOddPositionsEvaluatedAlone() {
    DataView data = TrainerTest.blobs(800, 5, 4, 1.5, 21);
    NetworkSpec spec = NetworkSpec.builder(5, 4).hidden(7).batchSize(64).epochs(1).build();
    // Shuffled rows, an odd count over several inference blocks: positions, not row indices.
    int[] rows = new int[601];
    java.util.SplittableRandom rng = new java.util.SplittableRandom(3);
    int[] all = java.util.stream.IntStream.range(0, 800).toArray();
    Trainer.shuffle(all, rng);
    System.arraycopy(all, 0, rows, 0, rows.length);
    DataView validation = data.select(rows);
    TrainingResult r = Trainer.train(spec, data.select(sub(all, 601, 800)), validation, 4);
    Model model = r.model();
    Model.Evaluation whole = model.evaluate(validation);
    HalfScores h = whole.halves();
    assertEquals(h, r.validationHalves(), "the training result keeps the last evaluation's halves");
    Model.Evaluation even = model.evaluate(data.select(positions(rows, 0)));
    Model.Evaluation odd = model.evaluate(data.select(positions(rows, 1)));
    assertEquals(301, even.count());
    assertEquals(300, odd.count());
    assertEquals(even.accuracy(), h.accuracyA());
    assertEquals(odd.accuracy(), h.accuracyB());
    // Bit for bit on the pure-Java BLAS; a native one may round a block's products differently.
    assertEquals(even.loss(), h.lossA(), 1e-12);
    assertEquals(odd.loss(), h.lossB(), 1e-12);
    assertEquals(whole.accuracy(), (301 * h.accuracyA() + 300 * h.accuracyB()) / 601, 1e-15);
    assertEquals(whole.loss(), (301 * h.lossA() + 300 * h.lossB()) / 601, 1e-12);
    HalfScores one = model.evaluate(data.select(new int[] {rows[0]})).halves();
    assertTrue(Double.isNaN(one.accuracyB()) && Double.isNaN(one.lossB()), "an empty half is NaN");
    assertEquals(HalfScores.NONE, model.evaluate(data.select(new int[0])).halves());
  }

  private static int[] positions(int[] rows, int parity) {
    int[] out = new int[(rows.length + 1 - parity) / 2];
    for (int i = 0; i < out.length; i++) {
      out[i] = rows[2 * i + parity];
    }
    return out;
  }

  private static int[] sub(int[] a, int from, int to) {
    return java.util.Arrays.copyOfRange(a, from, to);
  }

  /** Blocked inference (blocks of 256) equals example-by-example inference. */
  @Test
  void blockedPredictionsEqualOneByOne() {
    DataView data = TrainerTest.blobs(600, 5, 4, 1.0, 12);
    NetworkSpec spec = NetworkSpec.builder(5, 4).hidden(7).batchSize(64).epochs(1).build();
    Model model = Trainer.train(spec, data, null, 1).model();
    float[] all = new float[600 * 4];
    model.predictProbabilities(data, all);
    float[] one = new float[4];
    long correct = 0;
    double loss = 0;
    for (int j = 0; j < 600; j += 1) {
      model.predictProbabilities(data.features(), j * 5, one);
      for (int c = 0; c < 4; c++) {
        assertEquals(one[c], all[j * 4 + c], 1e-5f, "row " + j);
      }
      int best = Kernels.argmax(one, 0, 4);
      correct += best == data.labels()[j] ? 1 : 0;
      loss -= Math.log(one[data.labels()[j]]);
    }
    Model.Evaluation e = model.evaluate(data);
    assertEquals(600, e.count());
    assertEquals(correct / 600.0, e.accuracy(), 2.0 / 600);
    assertEquals(loss / 600, e.loss(), 1e-4);
    expect(
        "predictProbabilities: out must hold size x classes = 2400 values",
        () -> model.predictProbabilities(data, new float[2399]));
    model.predictProbabilities(data.select(new int[0]), new float[0]);
    IllegalArgumentException wide =
        assertThrows(
            IllegalArgumentException.class,
            () -> model.evaluate(DataView.of(new float[6], new int[1], 6)));
    assertEquals("evaluate: data width must be the network's inputs 5, got 6", wide.getMessage());
  }

  @Test
  void sigmoidAndTanhDefaultToXavierTheReluFamilyToHe() {
    for (Activation a : Activation.values()) {
      Init expected = a == Activation.TANH || a == Activation.SIGMOID ? Init.XAVIER : Init.HE;
      assertEquals(expected, Init.defaultFor(a), a.configName());
      assertEquals(a, Activation.parse(a.configName()));
    }
    assertEquals(2.0 / 8, Init.HE.variance(8));
    assertEquals(1.0 / 8, Init.XAVIER.variance(8));
    assertArrayEquals(new int[] {3, 4, 2}, b().build().widths());
  }
}
