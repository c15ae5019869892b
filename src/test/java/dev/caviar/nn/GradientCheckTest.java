package dev.caviar.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludovic.netlib.blas.BLAS;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The float engine's analytic gradients against central finite differences of an independent
 * double-precision forward pass ({@link ReferenceNetwork}), tensor by tensor: a wrong sign gives a
 * relative error near 1, a missing term one far above the tolerance.
 */
class GradientCheckTest {
  private static final int M = 8;
  static final int M_BATCH = M;
  static final int INPUTS = 5;
  static final int CLASSES = 3;
  private static final double TOLERANCE = 2e-3;

  /**
   * The training-set size N of the L2 term lambda/(2N) ||W||^2, unlike the batch size M so that an
   * L2 term divided by the batch size would show.
   */
  static final int N = 3 * M;

  static Network batch(NetworkSpec spec, long seed) {
    return batch(spec, seed, BLAS.getInstance());
  }

  static Network batch(NetworkSpec spec, long seed, BLAS blas) {
    SplittableRandom rng = new SplittableRandom(seed);
    float[] features = new float[M * INPUTS];
    int[] labels = new int[M];
    for (int i = 0; i < features.length; i++) {
      features[i] = (float) rng.nextGaussian();
    }
    for (int j = 0; j < M; j++) {
      labels[j] = rng.nextInt(CLASSES);
    }
    Network net = new Network(spec, blas, M, N, seed + 1, seed + 2);
    // Perturb gamma, beta and biases away from 1 and 0 so that terms they multiply are visible.
    for (int i = net.weightCount; i < net.params.length; i++) {
      net.params[i] += (float) (0.5 * rng.nextGaussian());
    }
    // Larger output weights than the initial ones, so gradients below the softmax are not tiny.
    int last = net.layers - 1;
    for (int i = 0; i < net.width[last] * net.width[last + 1]; i++) {
      net.params[net.wOff[last] + i] *= 10;
    }
    int[] order = new int[M];
    for (int j = 0; j < M; j++) {
      order[j] = j;
    }
    net.gather(DataView.of(features, labels, INPUTS), order, 0, M);
    net.drawMasks(M);
    return net;
  }

  /** Name and index range of every tensor of the flat parameter array. */
  static List<Object[]> tensors(Network net) {
    List<Object[]> t = new ArrayList<>();
    for (int k = 0; k < net.layers; k++) {
      int n = net.width[k + 1];
      t.add(new Object[] {"W" + k, net.wOff[k], net.wOff[k] + net.width[k] * n});
      if (net.gammaOff[k] >= 0) {
        t.add(new Object[] {"gamma" + k, net.gammaOff[k], net.gammaOff[k] + n});
        t.add(new Object[] {"beta" + k, net.betaOff[k], net.betaOff[k] + n});
      }
      if (net.biasOff[k] >= 0) {
        t.add(new Object[] {"b" + k, net.biasOff[k], net.biasOff[k] + n});
      }
    }
    return t;
  }

  static void check(NetworkSpec spec) {
    check(spec, BLAS.getInstance());
  }

  static void check(NetworkSpec spec, BLAS blas) {
    Network net = batch(spec, 42, blas);
    double engineLoss = net.forwardLoss(M);
    net.backward(M);
    double[] p = new double[net.params.length];
    for (int i = 0; i < p.length; i++) {
      p[i] = net.params[i];
    }
    ReferenceNetwork ref = new ReferenceNetwork(net, M, N);
    double refLoss = ref.loss(p);
    assertEquals(refLoss, engineLoss, 1e-5 * Math.abs(refLoss), "engine loss vs double reference");
    double[] numeric = ref.numericGradient(p, 1e-6);
    for (Object[] t : tensors(net)) {
      String name = (String) t[0];
      int from = (int) t[1];
      int to = (int) t[2];
      double diff = 0;
      double na = 0;
      double nn = 0;
      for (int i = from; i < to; i++) {
        double a = net.grads[i];
        diff += (a - numeric[i]) * (a - numeric[i]);
        na += a * a;
        nn += numeric[i] * numeric[i];
      }
      assertTrue(nn > 1e-12, name + ": numeric gradient vanishes, the check would be vacuous");
      double rel = Math.sqrt(diff) / (Math.sqrt(na) + Math.sqrt(nn));
      assertTrue(rel < TOLERANCE, spec + "\n" + name + ": relative error " + rel);
    }
  }

  static NetworkSpec.Builder small() {
    return NetworkSpec.builder(INPUTS, CLASSES).hidden(4).batchSize(M);
  }

  @Test
  void softmaxCrossEntropyAlone() {
    check(NetworkSpec.builder(INPUTS, CLASSES).batchSize(M).build());
  }

  @ParameterizedTest
  @EnumSource(Activation.class)
  void denseLayerWithoutBatchNorm(Activation activation) {
    check(small().activation(activation).batchNorm(false).build());
  }

  @ParameterizedTest
  @EnumSource(Activation.class)
  void batchNormInTrainingMode(Activation activation) {
    check(small().activation(activation).build());
  }

  @Test
  void l2Term() {
    check(small().l2(0.5).build());
    check(small().l2(0.5).batchNorm(false).activation(Activation.TANH).build());
  }

  @Test
  void dropoutWithFixedMask() {
    check(small().dropout(0.4).activation(Activation.TANH).build());
  }

  @Test
  void wholeThreeLayerNetwork() {
    check(
        NetworkSpec.builder(INPUTS, CLASSES)
            .hidden(6, 5)
            .batchSize(M)
            .activation(Activation.ELU)
            .l2(0.1)
            .dropout(0.25)
            .build());
    check(
        NetworkSpec.builder(INPUTS, CLASSES)
            .hidden(6, 5)
            .batchSize(M)
            .activation(Activation.LEAKY_RELU)
            .build());
  }

  /**
   * The same whole-network check on netlib's pure-Java BLAS, what a machine without native gets.
   */
  @Test
  void wholeNetworkOnTheJavaBlas() {
    check(
        NetworkSpec.builder(INPUTS, CLASSES)
            .hidden(6, 5)
            .batchSize(M)
            .l2(0.1)
            .dropout(0.25)
            .build(),
        dev.ludovic.netlib.blas.JavaBLAS.getInstance());
  }

  /** A looser check of the engine alone: float central differences of its own forward pass. */
  @Test
  void engineAgainstItsOwnFloatFiniteDifferences() {
    NetworkSpec spec =
        NetworkSpec.builder(INPUTS, CLASSES)
            .hidden(6, 5)
            .batchSize(M)
            .activation(Activation.TANH)
            .l2(0.1)
            .build();
    Network net = batch(spec, 7);
    net.forwardLoss(M);
    net.backward(M);
    float[] analytic = net.grads.clone();
    float h = 1e-2f;
    double diff = 0;
    double norm = 0;
    for (int i = 0; i < net.params.length; i++) {
      float saved = net.params[i];
      net.params[i] = saved + h;
      double up = net.forwardLoss(M);
      net.params[i] = saved - h;
      double down = net.forwardLoss(M);
      net.params[i] = saved;
      double numeric = (up - down) / (2 * h);
      diff += (numeric - analytic[i]) * (numeric - analytic[i]);
      norm += numeric * numeric;
    }
    assertTrue(Math.sqrt(diff / norm) < 2e-2, "relative error " + Math.sqrt(diff / norm));
  }
}
