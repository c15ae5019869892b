package dev.caviar.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * Two updates of w = (1, -2) with gradients (0.5, -0.1) then (-0.2, 0.3), lr 0.1, against values
 * worked out by hand from the course formulas (see {@link OptimizerSpec}).
 */
class OptimizerTest {
  private static final float[] W0 = {1f, -2f};
  private static final float[][] G = {{0.5f, -0.1f}, {-0.2f, 0.3f}};

  private static float[][] run(OptimizerSpec spec) {
    Optimizer opt = new Optimizer(spec, 2);
    float[] w = W0.clone();
    float[][] after = new float[2][];
    for (int t = 0; t < 2; t++) {
      opt.nextStep();
      opt.update(w, G[t], 0, 2, 0.1, false);
      after[t] = w.clone();
    }
    return after;
  }

  private static void expect(float[][] actual, double[] step1, double[] step2) {
    assertArrayEquals(step1, new double[] {actual[0][0], actual[0][1]}, 1e-6, "after step 1");
    assertArrayEquals(step2, new double[] {actual[1][0], actual[1][1]}, 1e-6, "after step 2");
  }

  @Test
  void sgd() {
    // w -= 0.1 g
    expect(run(OptimizerSpec.sgd()), new double[] {0.95, -1.99}, new double[] {0.97, -2.02});
  }

  @Test
  void momentum() {
    // v1 = 0.1 g1 = (0.05, -0.01); v2 = 0.9 v1 + 0.1 g2 = (0.025, 0.021)
    expect(
        run(OptimizerSpec.momentum(0.9)),
        new double[] {0.995, -1.999},
        new double[] {0.9925, -2.0011});
  }

  @Test
  void rmsprop() {
    // s1 = 0.1 g1^2 = (0.025, 0.001): w1 = w0 - 0.1 g1/sqrt(s1) = (1 - 0.31623, -2 + 0.31623)
    // s2 = 0.9 s1 + 0.1 g2^2 = (0.0265, 0.0099): w2 = w1 - 0.1 g2/sqrt(s2)
    expect(
        run(OptimizerSpec.rmsprop(0.9, 1e-8)),
        new double[] {0.68377225, -1.68377233},
        new double[] {0.80663127, -1.98528365});
  }

  @Test
  void adam() {
    // Step 1: bias-corrected v/sqrt(s) = g/|g|, so w moves by lr against the sign: (0.9, -1.9).
    // Step 2: v = (0.025, 0.021)/(1-0.81), s = (0.000289750, 0.000099910)/(1-0.998001).
    expect(
        run(OptimizerSpec.adam(0.9, 0.999, 1e-8)),
        new double[] {0.9, -1.9},
        new double[] {0.86543942, -1.94941899});
  }

  @Test
  void adamCountsStepsForBiasCorrection() {
    Optimizer opt = new Optimizer(OptimizerSpec.adam(), 1);
    opt.nextStep();
    opt.nextStep();
    assertEquals(2, opt.steps());
  }
}
