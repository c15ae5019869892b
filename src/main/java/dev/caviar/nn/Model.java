package dev.caviar.nn;

import dev.ludovic.netlib.blas.BLAS;
import java.io.Serializable;

/**
 * A trained network in inference mode: plain arrays, serialisable. Batch norm uses the running
 * (exponentially weighted) averages of mu and sigma^2 gathered during training, folded into one
 * scale and shift per unit, so an example's prediction never depends on the other examples
 * evaluated with it. Thread-safe: every call allocates its own workspace.
 */
public final class Model implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Examples per inference block: large enough for BLAS to reach speed, small enough for L2. */
  private static final int BLOCK = 256;

  private final NetworkSpec spec;
  private final int[] width;
  private final float[][] weights;
  private final float[][] bias;
  private final float[][] gamma;
  private final float[][] beta;
  private final float[][] runningMean;
  private final float[][] runningVar;
  private final float[][] scale;
  private final float[][] shift;

  /**
   * Inference-mode loss (mean cross-entropy, no L2) and accuracy over {@code count} examples, and
   * the same on the view's even and odd positions ({@link HalfScores}).
   */
  public record Evaluation(double loss, double accuracy, int count, HalfScores halves) {}

  Model(
      NetworkSpec spec,
      float[][] weights,
      float[][] bias,
      float[][] gamma,
      float[][] beta,
      float[][] runningMean,
      float[][] runningVar) {
    this.spec = spec;
    this.width = spec.widths();
    this.weights = weights;
    this.bias = bias;
    this.gamma = gamma;
    this.beta = beta;
    this.runningMean = runningMean;
    this.runningVar = runningVar;
    int layers = width.length - 1;
    scale = new float[layers][];
    shift = new float[layers][];
    for (int k = 0; k < layers - 1; k++) {
      int n = width[k + 1];
      scale[k] = new float[n];
      shift[k] = new float[n];
      for (int i = 0; i < n; i++) {
        if (spec.batchNorm()) {
          double s = gamma[k][i] / Math.sqrt(runningVar[k][i] + spec.bnEpsilon());
          scale[k][i] = (float) s;
          shift[k][i] = (float) (beta[k][i] - runningMean[k][i] * s);
        } else {
          scale[k][i] = 1f;
          shift[k][i] = bias[k][i];
        }
      }
    }
  }

  public NetworkSpec spec() {
    return spec;
  }

  /**
   * One layer's arrays as a saved model stores them (copies). {@code weights} is the layer's
   * column-major {@code out x in} matrix; {@code bias} is null where batch norm replaces it; {@code
   * gamma}, {@code beta} and the running averages are null where the layer has no batch norm (the
   * output layer, or a network without it).
   */
  public record Layer(
      float[] weights,
      float[] bias,
      float[] gamma,
      float[] beta,
      float[] runningMean,
      float[] runningVar) {}

  /** Every layer's arrays, input side first: what {@link #of} rebuilds the model from. */
  public java.util.List<Layer> layers() {
    java.util.List<Layer> out = new java.util.ArrayList<>();
    for (int k = 0; k < weights.length; k++) {
      out.add(
          new Layer(
              copy(weights[k]),
              copy(bias[k]),
              copy(gamma[k]),
              copy(beta[k]),
              copy(runningMean[k]),
              copy(runningVar[k])));
    }
    return out;
  }

  /**
   * The model a saved one describes: its spec and {@link #layers()}.
   *
   * @throws IllegalArgumentException naming the layer and array when a size does not fit the spec
   */
  public static Model of(NetworkSpec spec, java.util.List<Layer> layers) {
    int[] w = spec.widths();
    if (layers.size() != w.length - 1) {
      throw new IllegalArgumentException(
          "layers: the spec has " + (w.length - 1) + " layers, got " + layers.size());
    }
    int n = layers.size();
    float[][] weights = new float[n][];
    float[][] bias = new float[n][];
    float[][] gamma = new float[n][];
    float[][] beta = new float[n][];
    float[][] runningMean = new float[n][];
    float[][] runningVar = new float[n][];
    for (int k = 0; k < n; k++) {
      Layer l = layers.get(k);
      int out = w[k + 1];
      boolean normalised = spec.batchNorm() && k < n - 1;
      weights[k] = sized(k, "weights", l.weights(), (long) w[k] * out, true);
      bias[k] = sized(k, "bias", l.bias(), out, !normalised);
      gamma[k] = sized(k, "gamma", l.gamma(), out, normalised);
      beta[k] = sized(k, "beta", l.beta(), out, normalised);
      runningMean[k] = sized(k, "runningMean", l.runningMean(), out, normalised);
      runningVar[k] = sized(k, "runningVar", l.runningVar(), out, normalised);
    }
    return new Model(spec, weights, bias, gamma, beta, runningMean, runningVar);
  }

  private static float[] sized(int layer, String name, float[] a, long size, boolean present) {
    if (!present) {
      return a == null ? null : a.clone();
    }
    if (a == null || a.length != size) {
      throw new IllegalArgumentException(
          "layers["
              + layer
              + "]."
              + name
              + ": must hold "
              + size
              + " values, got "
              + (a == null ? "none" : a.length));
    }
    return a.clone();
  }

  private static float[] copy(float[] a) {
    return a == null ? null : a.clone();
  }

  float[] weights(int layer) {
    return weights[layer];
  }

  float[] bias(int layer) {
    return bias[layer];
  }

  float[] gamma(int layer) {
    return gamma[layer];
  }

  float[] beta(int layer) {
    return beta[layer];
  }

  float[] runningMean(int layer) {
    return runningMean[layer];
  }

  float[] runningVar(int layer) {
    return runningVar[layer];
  }

  private final class Workspace {
    final float[] x;
    final float[] a;
    final float[] b;

    Workspace(int m) {
      int max = 0;
      for (int k = 1; k < width.length; k++) {
        max = Math.max(max, width[k]);
      }
      x = new float[width[0] * m];
      a = new float[max * m];
      b = new float[max * m];
    }
  }

  /** Inference-mode loss and accuracy over the view (NaN loss and accuracy when it is empty). */
  public Evaluation evaluate(DataView data) {
    return evaluate(data, DefaultBlas.get());
  }

  Evaluation evaluate(DataView data, BLAS blas) {
    if (data.width() != width[0]) {
      throw new IllegalArgumentException(
          "evaluate: data width must be the network's inputs "
              + width[0]
              + ", got "
              + data.width());
    }
    int n = data.size();
    if (n == 0) {
      return new Evaluation(Double.NaN, Double.NaN, 0, HalfScores.NONE);
    }
    int block = Math.min(BLOCK, n);
    Workspace ws = new Workspace(block);
    int d = width[0];
    int c = width[width.length - 1];
    float[] features = data.features();
    int[] labels = data.labels();
    double loss = 0;
    long correct = 0;
    // The halves' sums ride along in the same pass; the whole view's sums stay as they were, so
    // its scores are unchanged to the bit.
    double lossA = 0;
    double lossB = 0;
    long correctA = 0;
    long correctB = 0;
    for (int from = 0; from < n; from += block) {
      int m = Math.min(block, n - from);
      for (int j = 0; j < m; j++) {
        System.arraycopy(features, data.row(from + j) * d, ws.x, j * d, d);
      }
      float[] logits = forward(ws, m, blas);
      for (int j = 0; j < m; j++) {
        int base = j * c;
        int best = Kernels.argmax(logits, base, c);
        float max = logits[base + best];
        double sum = 0;
        for (int i = 0; i < c; i++) {
          sum += Math.exp(logits[base + i] - max);
        }
        int label = labels[data.row(from + j)];
        double l = Math.log(sum) - (logits[base + label] - max);
        int right = best == label ? 1 : 0;
        loss += l;
        correct += right;
        if (((from + j) & 1) == 0) {
          lossA += l;
          correctA += right;
        } else {
          lossB += l;
          correctB += right;
        }
      }
    }
    return new Evaluation(
        loss / n, (double) correct / n, n, HalfScores.of(n, lossA, correctA, lossB, correctB));
  }

  /**
   * Class probabilities of every example of the view, row-major into {@code out} ({@code size x
   * C}), computed in blocks; each row equals what {@link #predictProbabilities(float[], int,
   * float[])} gives for that example alone, up to float rounding of the blocked products.
   */
  public void predictProbabilities(DataView data, float[] out) {
    predictProbabilities(data, out, DefaultBlas.get());
  }

  void predictProbabilities(DataView data, float[] out, BLAS blas) {
    int n = data.size();
    int c = width[width.length - 1];
    if (out.length < (long) n * c) {
      throw new IllegalArgumentException(
          "predictProbabilities: out must hold size x classes = " + (long) n * c + " values");
    }
    if (n == 0) {
      return;
    }
    int d = width[0];
    int block = Math.min(BLOCK, n);
    Workspace ws = new Workspace(block);
    for (int from = 0; from < n; from += block) {
      int m = Math.min(block, n - from);
      for (int j = 0; j < m; j++) {
        System.arraycopy(data.features(), data.row(from + j) * d, ws.x, j * d, d);
      }
      float[] logits = forward(ws, m, blas);
      for (int j = 0; j < m; j++) {
        softmax(logits, j * c, c, out, (from + j) * c);
      }
    }
  }

  private static void softmax(float[] logits, int off, int c, float[] out, int outOff) {
    float max = logits[off];
    for (int i = 1; i < c; i++) {
      max = Math.max(max, logits[off + i]);
    }
    double sum = 0;
    for (int i = 0; i < c; i++) {
      sum += Math.exp(logits[off + i] - max);
    }
    for (int i = 0; i < c; i++) {
      out[outOff + i] = (float) (Math.exp(logits[off + i] - max) / sum);
    }
  }

  /**
   * Class probabilities of one example {@code x[offset, offset + inputs)} into {@code out[0, C)}.
   */
  public void predictProbabilities(float[] x, int offset, float[] out) {
    predictProbabilities(x, offset, out, DefaultBlas.get());
  }

  void predictProbabilities(float[] x, int offset, float[] out, BLAS blas) {
    Workspace ws = new Workspace(1);
    System.arraycopy(x, offset, ws.x, 0, width[0]);
    float[] logits = forward(ws, 1, blas);
    softmax(logits, 0, width[width.length - 1], out, 0);
  }

  private float[] forward(Workspace ws, int m, BLAS blas) {
    int layers = width.length - 1;
    float[] in = ws.x;
    for (int k = 0; k < layers; k++) {
      int nin = width[k];
      int nout = width[k + 1];
      float[] zb = (k % 2 == 0) ? ws.a : ws.b;
      blas.sgemm("N", "N", nout, m, nin, 1f, weights[k], 0, nout, in, 0, nin, 0f, zb, 0, nout);
      float[] add = k < layers - 1 ? shift[k] : bias[k];
      float[] mul = k < layers - 1 ? scale[k] : null;
      for (int j = 0; j < m; j++) {
        int base = j * nout;
        if (mul != null) {
          for (int i = 0; i < nout; i++) {
            zb[base + i] = mul[i] * zb[base + i] + add[i];
          }
        } else {
          for (int i = 0; i < nout; i++) {
            zb[base + i] += add[i];
          }
        }
      }
      if (k < layers - 1) {
        Kernels.activate(spec.activation(), zb, zb, nout * m);
      }
      in = zb;
    }
    return in;
  }
}
