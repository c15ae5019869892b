package dev.caviar.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Two training steps of the engine (fused backward + optimizer) against an independent computation:
 * the gradient by central differences of the double-precision {@link ReferenceNetwork}, then each
 * optimizer's update formula written out here with its own state and step counter. Two hidden
 * layers, so a step counter advanced per layer, a layer updated before its input gradient was
 * taken, or L2 on gamma/beta all move some parameter away from the formula.
 */
class TrainingStepTest {
  private static final int M = GradientCheckTest.M_BATCH;
  private static final int N = GradientCheckTest.N;

  /** The learning rate of step t (1, 2): a decayed second step, as the trainer's schedule gives. */
  private static double rate(int t) {
    return t == 1 ? 0.05 : 0.05 / (1 + 0.5);
  }

  static Stream<Arguments> cases() {
    Stream.Builder<Arguments> b = Stream.builder();
    OptimizerSpec[] kinds = {
      OptimizerSpec.sgd(),
      OptimizerSpec.momentum(0.8),
      OptimizerSpec.rmsprop(0.7, 1e-4),
      OptimizerSpec.adam(0.8, 0.95, 1e-4)
    };
    for (OptimizerSpec o : kinds) {
      for (double l2 : new double[] {0, 0.7}) {
        for (boolean bn : new boolean[] {true, false}) {
          b.add(Arguments.of(o, l2, bn));
        }
      }
    }
    return b.build();
  }

  @ParameterizedTest(name = "{0} l2={1} bn={2}")
  @MethodSource("cases")
  void eachStepIsTheOptimizersFormulaAppliedToTheReferenceGradient(
      OptimizerSpec optimizer, double l2, boolean bn) {
    NetworkSpec spec =
        NetworkSpec.builder(GradientCheckTest.INPUTS, GradientCheckTest.CLASSES)
            .hidden(6, 5)
            .activation(Activation.TANH)
            .batchNorm(bn)
            .batchSize(M)
            .l2(l2)
            .optimizer(optimizer)
            .build();
    Network net = GradientCheckTest.batch(spec, 11);
    Optimizer engine = new Optimizer(optimizer, net.params.length);
    int size = net.params.length;
    double[] v = new double[size];
    double[] s = new double[size];
    for (int t = 1; t <= 2; t++) {
      double[] before = toDouble(net.params);
      double[] g = new ReferenceNetwork(net, M, N).numericGradient(before, 1e-6);
      double lr = rate(t);
      double[] expected = new double[size];
      for (int i = 0; i < size; i++) {
        expected[i] = -step(optimizer, g[i], i, v, s, t, lr);
      }
      double[] ratios = t == 2 ? new double[net.layers] : null;
      net.forwardLoss(M);
      net.backward(M, engine, lr, ratios);
      assertEquals(t, engine.steps(), "one optimizer step per mini-batch, not per layer");
      double[] actual = new double[size];
      for (int i = 0; i < size; i++) {
        actual[i] = net.params[i] - before[i];
      }
      for (Object[] tensor : GradientCheckTest.tensors(net)) {
        int from = (int) tensor[1];
        int to = (int) tensor[2];
        double diff = 0;
        double norm = 0;
        for (int i = from; i < to; i++) {
          diff += (actual[i] - expected[i]) * (actual[i] - expected[i]);
          norm += expected[i] * expected[i];
        }
        assertTrue(norm > 0, tensor[0] + ": no expected change, the check would be vacuous");
        double rel = Math.sqrt(diff / norm);
        assertTrue(rel < 5e-3, "step " + t + " " + tensor[0] + ": relative error " + rel);
      }
      if (ratios != null) {
        for (int k = 0; k < net.layers; k++) {
          double dw = 0;
          double w = 0;
          for (int i = net.wOff[k]; i < net.wOff[k] + net.width[k] * net.width[k + 1]; i++) {
            dw += actual[i] * actual[i];
            w += (double) net.params[i] * net.params[i];
          }
          assertEquals(Math.sqrt(dw / w), ratios[k], 1e-4 * ratios[k], "update ratio W" + k);
        }
      }
    }
  }

  /** The change of parameter i by the course's formula; updates the state v, s in place. */
  private static double step(
      OptimizerSpec o, double g, int i, double[] v, double[] s, int t, double lr) {
    return switch (o.kind()) {
      case SGD -> lr * g;
      case MOMENTUM -> {
        v[i] = o.beta() * v[i] + (1 - o.beta()) * g;
        yield lr * v[i];
      }
      case RMSPROP -> {
        s[i] = o.beta() * s[i] + (1 - o.beta()) * g * g;
        yield lr * g / (Math.sqrt(s[i]) + o.epsilon());
      }
      case ADAM -> {
        v[i] = o.beta1() * v[i] + (1 - o.beta1()) * g;
        s[i] = o.beta2() * s[i] + (1 - o.beta2()) * g * g;
        double vHat = v[i] / (1 - Math.pow(o.beta1(), t));
        double sHat = s[i] / (1 - Math.pow(o.beta2(), t));
        yield lr * vHat / (Math.sqrt(sHat) + o.epsilon());
      }
    };
  }

  private static double[] toDouble(float[] a) {
    double[] d = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      d[i] = a[i];
    }
    return d;
  }
}
