package dev.caviar.nn;

/**
 * The double-precision path for gradient checks: the same network as {@link Network}, written as
 * plain example-by-example loops in double with no BLAS and no workspace sharing, reading the
 * engine's parameters through their documented layout (W_k column-major, out x in). Only the loss
 * is computed; central finite differences of it in double give the reference gradient.
 */
final class ReferenceNetwork {
  private final Network net;
  private final double[][] x;
  private final int[] y;
  private final int m;
  private final int trainingSize;

  /**
   * Takes the batch currently gathered in {@code net} and its current dropout masks; {@code
   * trainingSize} is the N of the L2 term lambda/(2N) ||W||^2.
   */
  ReferenceNetwork(Network net, int m, int trainingSize) {
    this.net = net;
    this.m = m;
    this.trainingSize = trainingSize;
    int d = net.width[0];
    x = new double[m][d];
    y = new int[m];
    for (int j = 0; j < m; j++) {
      for (int t = 0; t < d; t++) {
        x[j][t] = net.x[j * d + t];
      }
      y[j] = net.y[j];
    }
  }

  static double f(Activation a, double v) {
    return switch (a) {
      case RELU -> Math.max(v, 0);
      case LEAKY_RELU -> v > 0 ? v : 0.01 * v;
      case TANH -> Math.tanh(v);
      case SIGMOID -> 1 / (1 + Math.exp(-v));
      case ELU -> v > 0 ? v : Math.exp(v) - 1;
    };
  }

  double loss(double[] p) {
    NetworkSpec spec = net.spec;
    int layers = net.layers;
    double[][] a = x;
    for (int k = 0; k < layers; k++) {
      int nin = net.width[k];
      int nout = net.width[k + 1];
      double[][] z = new double[m][nout];
      for (int j = 0; j < m; j++) {
        for (int i = 0; i < nout; i++) {
          double s = 0;
          for (int t = 0; t < nin; t++) {
            s += p[net.wOff[k] + i + t * nout] * a[j][t];
          }
          z[j][i] = s;
        }
      }
      if (k == layers - 1) {
        for (int j = 0; j < m; j++) {
          for (int i = 0; i < nout; i++) {
            z[j][i] += p[net.biasOff[k] + i];
          }
        }
        a = z;
        break;
      }
      double[][] next = new double[m][nout];
      for (int i = 0; i < nout; i++) {
        double mu = 0;
        double var = 0;
        if (spec.batchNorm()) {
          for (int j = 0; j < m; j++) {
            mu += z[j][i];
          }
          mu /= m;
          for (int j = 0; j < m; j++) {
            var += (z[j][i] - mu) * (z[j][i] - mu);
          }
          var /= m;
        }
        for (int j = 0; j < m; j++) {
          double pre =
              spec.batchNorm()
                  ? p[net.gammaOff[k] + i] * (z[j][i] - mu) / Math.sqrt(var + spec.bnEpsilon())
                      + p[net.betaOff[k] + i]
                  : z[j][i] + p[net.biasOff[k] + i];
          double keep = spec.dropout() > 0 ? net.mask[k][j * nout + i] : 1;
          next[j][i] = f(spec.activation(), pre) * keep;
        }
      }
      a = next;
    }
    double ce = 0;
    for (int j = 0; j < m; j++) {
      double max = Double.NEGATIVE_INFINITY;
      for (double v : a[j]) {
        max = Math.max(max, v);
      }
      double sum = 0;
      for (double v : a[j]) {
        sum += Math.exp(v - max);
      }
      ce += Math.log(sum) + max - a[j][y[j]];
    }
    double sq = 0;
    for (int i = 0; i < net.weightCount; i++) {
      sq += p[i] * p[i];
    }
    return ce / m + spec.l2() / (2.0 * trainingSize) * sq;
  }

  /** Central differences of {@link #loss} at {@code p}, in double. */
  double[] numericGradient(double[] p, double h) {
    double[] g = new double[p.length];
    double[] q = p.clone();
    for (int i = 0; i < p.length; i++) {
      q[i] = p[i] + h;
      double up = loss(q);
      q[i] = p[i] - h;
      double down = loss(q);
      q[i] = p[i];
      g[i] = (up - down) / (2 * h);
    }
    return g;
  }
}
