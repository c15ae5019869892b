package dev.caviar.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludovic.netlib.blas.BLAS;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The engine's statistical and numerical promises: dropout's scaling and its absence at inference,
 * the initial weight variances, the running statistics of batch norm, softmax stability.
 */
class EngineContractsTest {

  private static Network network(NetworkSpec spec, int batch, long seed) {
    return new Network(spec, BLAS.getInstance(), batch, 1000, seed, seed + 1);
  }

  @ParameterizedTest
  @ValueSource(doubles = {0.2, 0.5, 0.8})
  void dropoutMaskIsZeroOrOneOverKeepWithMeanOne(double rate) {
    NetworkSpec spec =
        NetworkSpec.builder(4, 2).hidden(200, 100).dropout(rate).batchSize(50).build();
    Network net = network(spec, 50, 3);
    net.drawMasks(50);
    float keep = (float) (1 - rate);
    for (int k = 0; k < 2; k++) {
      float[] mask = net.mask[k];
      int n = net.width[k + 1] * 50;
      double sum = 0;
      int dropped = 0;
      for (int i = 0; i < n; i++) {
        assertTrue(mask[i] == 0f || mask[i] == 1f / keep, "mask value " + mask[i]);
        sum += mask[i];
        dropped += mask[i] == 0f ? 1 : 0;
      }
      // Each entry has mean 1 and standard deviation sqrt(rate/keep); 5 standard errors.
      double bound = 5 * Math.sqrt(rate / keep / n);
      assertEquals(1.0, sum / n, bound, "mean of the mask of layer " + k);
      assertEquals(rate, (double) dropped / n, 5 * Math.sqrt(rate * keep / n), "drop fraction");
    }
  }

  @Test
  void noDropoutAtInferenceTheSameWeightsPredictTheSameWithOrWithoutIt() {
    DataView data = TrainerTest.blobs(200, 6, 3, 1.0, 5);
    NetworkSpec with =
        NetworkSpec.builder(6, 3).hidden(16, 8).dropout(0.5).batchSize(20).epochs(2).build();
    TrainingResult r = Trainer.train(with, data, data, 9);
    Model trained = r.model();
    NetworkSpec without = with.toBuilder().dropout(0).build();
    float[][] w = new float[3][];
    float[][] bias = new float[3][];
    float[][] gamma = new float[3][];
    float[][] beta = new float[3][];
    float[][] rm = new float[3][];
    float[][] rv = new float[3][];
    for (int k = 0; k < 3; k++) {
      w[k] = trained.weights(k);
      bias[k] = trained.bias(k);
      gamma[k] = trained.gamma(k);
      beta[k] = trained.beta(k);
      rm[k] = trained.runningMean(k);
      rv[k] = trained.runningVar(k);
    }
    Model plain = new Model(without, w, bias, gamma, beta, rm, rv);
    float[] p1 = new float[200 * 3];
    float[] p2 = new float[200 * 3];
    trained.predictProbabilities(data, p1);
    plain.predictProbabilities(data, p2);
    assertArrayEquals(p2, p1);
    // Predicting twice gives the same: no mask is drawn at inference.
    trained.predictProbabilities(data, p2);
    assertArrayEquals(p1, p2);
    assertEquals(plain.evaluate(data).loss(), r.validationLoss(), 1e-9);
  }

  @ParameterizedTest
  @ValueSource(ints = {64, 256, 600})
  void hiddenWeightVarianceIsHeOrXavierOverFanIn(int fanIn) {
    for (Init init : Init.values()) {
      NetworkSpec spec =
          NetworkSpec.builder(fanIn, 3).hidden(200, fanIn).init(init).batchSize(2).build();
      Network net = network(spec, 2, 17);
      double factor = init == Init.HE ? 2 : 1;
      for (int k = 0; k < 2; k++) {
        int nin = net.width[k];
        int count = nin * net.width[k + 1];
        double sum = 0;
        double sq = 0;
        for (int i = net.wOff[k]; i < net.wOff[k] + count; i++) {
          sum += net.params[i];
          sq += (double) net.params[i] * net.params[i];
        }
        double expected = factor / nin;
        double variance = sq / count - (sum / count) * (sum / count);
        // The sample variance of n normals has relative standard error sqrt(2/n); 5 of them.
        assertEquals(expected, variance, 5 * Math.sqrt(2.0 / count) * expected, init + " W" + k);
      }
      // The output layer: a tenth of Xavier's standard deviation, so the initial loss is ln C.
      int k = 2;
      int count = net.width[k] * 3;
      double sq = 0;
      for (int i = net.wOff[k]; i < net.wOff[k] + count; i++) {
        sq += (double) net.params[i] * net.params[i];
      }
      double expected = 0.01 / fanIn;
      assertEquals(expected, sq / count, 6 * Math.sqrt(2.0 / count) * expected, "output W");
      for (int i = net.weightCount; i < net.params.length; i++) {
        float want = i >= net.gammaOff[0] && i < net.betaOff[0] ? 1f : 0f;
        if (i >= net.gammaOff[1] && i < net.betaOff[1]) {
          want = 1f;
        }
        assertEquals(want, net.params[i], "gamma 1, beta and biases 0 at " + i);
      }
    }
  }

  /**
   * After several batches, runMean and runVar of the first hidden layer equal the exponentially
   * weighted averages (from 0 and 1) of the batch mean and the unbiased batch variance m/(m-1),
   * computed here in double from Z = W x.
   */
  @Test
  void runningStatisticsAreTheEwaOfBatchMeanAndUnbiasedVariance() {
    int m = 6;
    int d = 4;
    int units = 5;
    double momentum = 0.7;
    NetworkSpec spec =
        NetworkSpec.builder(d, 3).hidden(units).bnMomentum(momentum).batchSize(m).build();
    Network net = network(spec, m, 21);
    DataView data = TrainerTest.blobs(4 * m, d, 3, 2.0, 4);
    int[] order = new int[4 * m];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    double[] rm = new double[units];
    double[] rv = new double[units];
    java.util.Arrays.fill(rv, 1);
    for (int b = 0; b < 4; b++) {
      net.gather(data, order, b * m, m);
      for (int i = 0; i < units; i++) {
        double[] z = new double[m];
        double mean = 0;
        for (int j = 0; j < m; j++) {
          for (int t = 0; t < d; t++) {
            z[j] += net.params[net.wOff[0] + i + t * units] * net.x[j * d + t];
          }
          mean += z[j] / m;
        }
        double ss = 0;
        for (int j = 0; j < m; j++) {
          ss += (z[j] - mean) * (z[j] - mean);
        }
        rm[i] = momentum * rm[i] + (1 - momentum) * mean;
        rv[i] = momentum * rv[i] + (1 - momentum) * ss / (m - 1);
      }
      net.forwardLoss(m);
      for (int i = 0; i < units; i++) {
        assertEquals(rm[i], net.runMean[0][i], 1e-5 * (1 + Math.abs(rm[i])), "mean " + i);
        assertEquals(rv[i], net.runVar[0][i], 1e-5 * rv[i], "variance " + i);
      }
    }
  }

  @Test
  void softmaxAndLossStayFiniteForLogitsInTheHundreds() {
    NetworkSpec spec = NetworkSpec.builder(2, 3).batchSize(4).build();
    Network net = network(spec, 4, 1);
    // Logits = W x with W = [[300, -300], [-250, 250], [400, 100]] (column-major), x = (1, -1) ...
    float[] w = {300, -250, 400, -300, 250, 100};
    System.arraycopy(w, 0, net.params, net.wOff[0], 6);
    float[] features = {1, -1, -1, 1, 0.5f, 0.5f, 2, 0};
    int[] labels = {1, 1, 0, 2};
    net.gather(DataView.of(features, labels, 2), new int[] {0, 1, 2, 3}, 0, 4);
    double loss = net.forwardLoss(4);
    double expected = 0;
    for (int j = 0; j < 4; j++) {
      double[] z = new double[3];
      double max = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < 3; c++) {
        z[c] = w[c] * features[2 * j] + w[c + 3] * features[2 * j + 1];
        max = Math.max(max, z[c]);
      }
      double sum = 0;
      for (int c = 0; c < 3; c++) {
        sum += Math.exp(z[c] - max);
      }
      expected += (max + Math.log(sum) - z[labels[j]]) / 4;
    }
    assertTrue(expected > 100, "the logits are in the hundreds: " + expected);
    assertEquals(expected, loss, 1e-6 * expected);
    for (int i = 0; i < 12; i++) {
      assertTrue(Float.isFinite(net.delta[0][i]), "dZ finite");
    }
    Model model = net.snapshot();
    float[] p = new float[4 * 3];
    model.predictProbabilities(DataView.of(features, labels, 2), p);
    for (int j = 0; j < 4; j++) {
      float total = p[3 * j] + p[3 * j + 1] + p[3 * j + 2];
      assertEquals(1f, total, 1e-6f, "probabilities sum to 1");
    }
    assertEquals(expected, model.evaluate(DataView.of(features, labels, 2)).loss(), 1e-6 * 100);
  }

  @Test
  void batchNormNeedsAMiniBatchOfTwo() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> NetworkSpec.builder(3, 2).hidden(4).batchSize(1).build());
    assertEquals(
        "batchSize: must be >= 2 with batchNorm (a mini-batch of one has zero variance: BN would"
            + " output beta and train nothing), got 1",
        e.getMessage());
    // Without BN, or without a hidden layer to normalise, a batch of one is plain SGD.
    NetworkSpec.builder(3, 2).hidden(4).batchNorm(false).batchSize(1).build();
    NetworkSpec.builder(3, 2).batchSize(1).build();
    NetworkSpec spec = NetworkSpec.builder(3, 2).hidden(4).batchSize(8).build();
    DataView one = DataView.of(new float[] {1, 2, 3}, new int[] {1}, 3);
    IllegalArgumentException tooFew =
        assertThrows(IllegalArgumentException.class, () -> Trainer.train(spec, one, null, 1));
    assertTrue(tooFew.getMessage().startsWith("train: must hold at least 2 examples"));
    assertTrue(tooFew.getMessage().endsWith("got 1"), tooFew.getMessage());
    Network net = network(spec, 8, 1);
    net.gather(one, new int[] {0}, 0, 1);
    assertThrows(IllegalStateException.class, () -> net.forwardLoss(1));
    Network plain = network(spec.toBuilder().batchNorm(false).build(), 8, 1);
    plain.gather(one, new int[] {0}, 0, 1);
    assertTrue(Double.isFinite(plain.forwardLoss(1)));
  }

  /** The training-mode forward pass divides by sqrt(var + epsilon): visible with a large one. */
  @Test
  void trainingModeNormalisationIncludesEpsilon() {
    GradientCheckTest.check(GradientCheckTest.small().bnEpsilon(0.5).build());
  }

  @Test
  void trainingSizeMustBePositive() {
    NetworkSpec spec = NetworkSpec.builder(3, 2).build();
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new Network(spec, BLAS.getInstance(), 4, 0, 1, 2));
    assertEquals("trainingSize: must be >= 1, got 0", e.getMessage());
  }

  /** Sanity for the seeds: distinct init seeds give distinct weights, the same seed the same. */
  @Test
  void initialWeightsFollowTheInitSeed() {
    NetworkSpec spec = NetworkSpec.builder(5, 3).hidden(4).batchSize(4).build();
    assertArrayEquals(network(spec, 4, 8).params, network(spec, 4, 8).params);
    SplittableRandom r = new SplittableRandom(1);
    long other = r.nextLong();
    assertTrue(
        !java.util.Arrays.equals(network(spec, 4, 8).params, network(spec, 4, other).params));
  }
}
