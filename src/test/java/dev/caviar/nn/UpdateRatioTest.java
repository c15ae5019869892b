package dev.caviar.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ludovic.netlib.blas.BLAS;
import org.junit.jupiter.api.Test;

/**
 * The update/weight ratio of the babysitting output against a calculation by hand: a softmax
 * regression (no hidden layer, so Z = W x + b), two examples, one plain SGD step, every number
 * written out here in double precision.
 */
class UpdateRatioTest {

  @Test
  void theRatioIsTheNormOfTheSgdStepOverTheNormOfTheWeightsAfterIt() {
    NetworkSpec spec =
        NetworkSpec.builder(2, 2)
            .batchNorm(false)
            .batchSize(2)
            .optimizer(OptimizerSpec.sgd())
            .learningRate(0.5)
            .build();
    Network net = new Network(spec, BLAS.getInstance(), 2, 2, 1, 2);
    // W column-major (outputs x inputs): W = [[0.3, -0.2], [0.1, 0.4]]; bias 0.
    double[][] w = {{0.3, -0.2}, {0.1, 0.4}};
    for (int o = 0; o < 2; o++) {
      for (int i = 0; i < 2; i++) {
        net.params[net.wOff[0] + o + 2 * i] = (float) w[o][i];
      }
    }
    for (int o = 0; o < 2; o++) {
      net.params[net.biasOff[0] + o] = 0f;
    }
    float[] x = {1, 2, -1, 0.5f};
    int[] labels = {0, 1};
    net.gather(DataView.of(x, labels, 2), new int[] {0, 1}, 0, 2);
    net.drawMasks(2);
    net.forwardLoss(2);
    double[] ratios = new double[1];
    net.backward(2, new Optimizer(spec.optimizer(), net.params.length), 0.5, ratios);

    // By hand: p_j = softmax(W x_j), dZ_j = (p_j - onehot(y_j)) / m, dW = sum_j dZ_j x_j^T,
    // delta W = lr dW, ratio = ||delta W|| / ||W - delta W||.
    double[][] dw = new double[2][2];
    for (int j = 0; j < 2; j++) {
      double[] xj = {x[2 * j], x[2 * j + 1]};
      double z0 = w[0][0] * xj[0] + w[0][1] * xj[1];
      double z1 = w[1][0] * xj[0] + w[1][1] * xj[1];
      double p0 = 1 / (1 + Math.exp(z1 - z0));
      double[] dz = {(p0 - (labels[j] == 0 ? 1 : 0)) / 2, (1 - p0 - (labels[j] == 1 ? 1 : 0)) / 2};
      for (int o = 0; o < 2; o++) {
        for (int i = 0; i < 2; i++) {
          dw[o][i] += dz[o] * xj[i];
        }
      }
    }
    double step = 0;
    double after = 0;
    for (int o = 0; o < 2; o++) {
      for (int i = 0; i < 2; i++) {
        double d = 0.5 * dw[o][i];
        step += d * d;
        after += (w[o][i] - d) * (w[o][i] - d);
      }
    }
    double expected = Math.sqrt(step / after);
    assertEquals(expected, ratios[0], 1e-5 * expected);
  }
}
