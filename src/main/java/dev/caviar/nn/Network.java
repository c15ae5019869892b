package dev.caviar.nn;

import dev.ludovic.netlib.blas.BLAS;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The training-mode engine of one trial: weights, gradients and every workspace, allocated once.
 *
 * <p>Layout: all parameters live in one flat {@code params} array (weight matrices first, then
 * gamma, beta and biases) so the optimizer runs one loop per tensor group; matrices are
 * column-major for the Fortran BLAS. A batch of m examples of width d, each contiguous, is a d x m
 * column-major matrix, so the forward product is {@code Z = W·A}: sgemm("N","N", out, m, in, W, A,
 * Z).
 *
 * <p>Per step: three forward products, three weight-gradient products ({@code dW = dZ·A^T}) and two
 * input-gradient products ({@code dA = W^T·dZ}, not for the first layer). Everything else is a
 * linear pass over a workspace.
 *
 * <p>Over 400 lines on purpose: forward, backward and the fused optimizer step share every
 * workspace array and offset of this one object; split into classes they would pass a dozen arrays
 * through each call of the hot loop, or share them through a second object that is this one.
 */
final class Network {
  final NetworkSpec spec;
  private final BLAS blas;
  final int layers;
  final int[] width;
  final int maxBatch;
  private final Activation activation;
  private final boolean bn;
  private final boolean dropout;
  private final float keep;
  private final float bnMomentum;
  private final double bnEpsilon;

  /**
   * lambda / N with N the training-set size: the L2 term is {@code lambda/(2N) ||W||^2}, the
   * course's cost J with m the number of training examples, and each mini-batch's gradient ({@code
   * dJ/dW = mean data gradient + lambda/N W}) is an unbiased estimate of J's. Dividing by the
   * mini-batch size instead would make the regularisation strength depend on the batch size, which
   * the tuner samples independently of lambda: two trials with the same l2 and batches of 32 and
   * 512 would be regularised 16x apart. So {@code l2} means one thing whatever the batch size.
   */
  private double l2PerExample;

  final float[] params;
  final float[] grads;
  final int[] wOff;
  final int[] gammaOff;
  final int[] betaOff;
  final int[] biasOff;
  final int weightCount;

  final float[][] runMean;
  final float[][] runVar;

  final float[] x;
  final int[] y;

  /** Per layer: Z; for BN layers replaced in place by zhat; for the output, the logits. */
  final float[][] z;

  /** Hidden layers: gamma*zhat+beta (or Z + b without BN), the activation's input. */
  final float[][] pre;

  /** Hidden layers: f(pre). */
  final float[][] act;

  /** Hidden layers: act * mask, the next layer's input (the same array as act without dropout). */
  final float[][] out;

  /** Hidden layers: 0 or 1/keep (inverted dropout), null without dropout. */
  final float[][] mask;

  /** Per layer: gradient w.r.t. the layer's output, turned in place into dZ during backward. */
  final float[][] delta;

  private final float[][] mean;
  private final float[][] invStd;
  private final double[] acc1;
  private final double[] acc2;
  private final float[] part1;
  private final float[] part2;
  private final SplittableRandom dropoutRng;

  /** Mini-batch accuracy count of the last {@link #forwardLoss}. */
  int lastCorrect;

  /** Mean cross-entropy of the last {@link #forwardLoss}, without the L2 term. */
  double lastDataLoss;

  /**
   * @param trainingSize N, the number of training examples, which scales the L2 term
   */
  Network(
      NetworkSpec spec,
      BLAS blas,
      int maxBatch,
      int trainingSize,
      long initSeed,
      long dropoutSeed) {
    this.spec = spec;
    this.blas = blas;
    this.maxBatch = maxBatch;
    this.width = spec.widths();
    this.layers = width.length - 1;
    this.activation = spec.activation();
    this.bn = spec.batchNorm();
    this.dropout = spec.dropout() > 0;
    this.keep = (float) (1 - spec.dropout());
    this.bnMomentum = (float) spec.bnMomentum();
    this.bnEpsilon = spec.bnEpsilon();
    if (trainingSize < 1) {
      throw new IllegalArgumentException("trainingSize: must be >= 1, got " + trainingSize);
    }
    this.l2PerExample = spec.l2() / trainingSize;

    wOff = new int[layers];
    gammaOff = new int[layers];
    betaOff = new int[layers];
    biasOff = new int[layers];
    int off = 0;
    for (int k = 0; k < layers; k++) {
      wOff[k] = off;
      off += width[k] * width[k + 1];
    }
    weightCount = off;
    for (int k = 0; k < layers; k++) {
      boolean hidden = k < layers - 1;
      gammaOff[k] = -1;
      betaOff[k] = -1;
      biasOff[k] = -1;
      if (hidden && bn) {
        gammaOff[k] = off;
        off += width[k + 1];
        betaOff[k] = off;
        off += width[k + 1];
      } else {
        biasOff[k] = off;
        off += width[k + 1];
      }
    }
    params = new float[off];
    grads = new float[off];
    initialise(new SplittableRandom(initSeed));

    int maxWidth = 0;
    for (int w : width) {
      maxWidth = Math.max(maxWidth, w);
    }
    acc1 = new double[maxWidth];
    acc2 = new double[maxWidth];
    part1 = new float[maxWidth];
    part2 = new float[maxWidth];
    x = new float[width[0] * maxBatch];
    y = new int[maxBatch];
    z = new float[layers][];
    pre = new float[layers][];
    act = new float[layers][];
    out = new float[layers][];
    mask = new float[layers][];
    delta = new float[layers][];
    mean = new float[layers][];
    invStd = new float[layers][];
    runMean = new float[layers][];
    runVar = new float[layers][];
    for (int k = 0; k < layers; k++) {
      int n = width[k + 1] * maxBatch;
      z[k] = new float[n];
      delta[k] = new float[n];
      if (k < layers - 1) {
        pre[k] = new float[n];
        act[k] = new float[n];
        if (dropout) {
          mask[k] = new float[n];
          out[k] = new float[n];
        } else {
          out[k] = act[k];
        }
        if (bn) {
          mean[k] = new float[width[k + 1]];
          invStd[k] = new float[width[k + 1]];
          runMean[k] = new float[width[k + 1]];
          runVar[k] = new float[width[k + 1]];
          Arrays.fill(runVar[k], 1f);
        }
      }
    }
    dropoutRng = new SplittableRandom(dropoutSeed);
  }

  /**
   * He or Xavier normal weights, gamma 1, beta and biases 0. The output layer starts a further 10x
   * smaller so that the initial softmax is nearly uniform and the initial loss is ln C (the sanity
   * check of CS231n's babysitting recipe), whatever the hidden activation.
   */
  private void initialise(SplittableRandom rng) {
    for (int k = 0; k < layers; k++) {
      boolean output = k == layers - 1;
      double std =
          output
              ? 0.1 * Math.sqrt(Init.XAVIER.variance(width[k]))
              : Math.sqrt(spec.init().variance(width[k]));
      int n = width[k] * width[k + 1];
      for (int i = 0; i < n; i++) {
        params[wOff[k] + i] = (float) (std * rng.nextGaussian());
      }
      if (gammaOff[k] >= 0) {
        Arrays.fill(params, gammaOff[k], gammaOff[k] + width[k + 1], 1f);
      }
    }
  }

  /** Copies {@code m} examples of {@code data} (view indices {@code order[from..]}) into x, y. */
  void gather(DataView data, int[] order, int from, int m) {
    int d = width[0];
    float[] f = data.features();
    int[] labels = data.labels();
    for (int j = 0; j < m; j++) {
      int r = order[from + j];
      System.arraycopy(f, r * d, x, j * d, d);
      y[j] = labels[r];
    }
  }

  /** Draws fresh dropout masks for a batch of {@code m}. */
  void drawMasks(int m) {
    if (!dropout) {
      return;
    }
    float scale = 1f / keep;
    for (int k = 0; k < layers - 1; k++) {
      float[] mk = mask[k];
      int n = width[k + 1] * m;
      for (int i = 0; i < n; i++) {
        mk[i] = dropoutRng.nextDouble() < keep ? scale : 0f;
      }
    }
  }

  /**
   * Training-mode forward pass on the gathered batch with the current masks; returns the mini-batch
   * loss (mean cross-entropy + L2 term lambda/(2N) ||W||^2) and leaves dL/dZ of the output in
   * delta; {@link #lastDataLoss} keeps the cross-entropy alone.
   */
  double forwardLoss(int m) {
    if (bn && layers > 1 && m < 2) {
      // The trainer never sends one (NetworkSpec rejects batchSize 1 with BN, the trainer skips a
      // last batch of one): a batch of one has zero variance and nothing to normalise.
      throw new IllegalStateException("batch norm needs a mini-batch of at least 2, got " + m);
    }
    for (int k = 0; k < layers; k++) {
      float[] in = k == 0 ? x : out[k - 1];
      int nin = width[k];
      int nout = width[k + 1];
      blas.sgemm("N", "N", nout, m, nin, 1f, params, wOff[k], nout, in, 0, nin, 0f, z[k], 0, nout);
      if (k < layers - 1) {
        hiddenForward(k, m);
      } else {
        addBias(z[k], biasOff[k], nout, m);
      }
    }
    double loss = softmaxCrossEntropy(m);
    lastDataLoss = loss;
    if (l2PerExample > 0) {
      double sq = 0;
      for (int from = 0; from < weightCount; from += 1024) {
        int to = Math.min(weightCount, from + 1024);
        float part = 0;
        for (int i = from; i < to; i++) {
          part += params[i] * params[i];
        }
        sq += part;
      }
      loss += l2PerExample / 2 * sq;
    }
    return loss;
  }

  private void addBias(float[] zk, int off, int n, int m) {
    for (int j = 0; j < m; j++) {
      int base = j * n;
      for (int i = 0; i < n; i++) {
        zk[base + i] += params[off + i];
      }
    }
  }

  private void hiddenForward(int k, int m) {
    int n = width[k + 1];
    float[] zk = z[k];
    float[] pk = pre[k];
    if (bn) {
      // Two passes (mean, then squared deviations) over a block that sits in L2: exact enough in
      // float with double accumulators, unlike E[z^2] - E[z]^2.
      float[] mu = mean[k];
      float[] is = invStd[k];
      double[] s1 = acc1;
      double[] s2 = acc2;
      columnSums(zk, null, n, m, s1, null);
      for (int i = 0; i < n; i++) {
        mu[i] = (float) (s1[i] / m);
      }
      columnSquaredDeviations(zk, mu, n, m, s2);
      float[] rm = runMean[k];
      float[] rv = runVar[k];
      float b = bnMomentum;
      float ob = 1 - bnMomentum;
      // Normalisation uses the biased batch variance (what the gradient is of); the running
      // variance averages the unbiased one, m/(m-1) times it, as the BN paper (Ioffe & Szegedy
      // 2015, Alg. 2) and PyTorch do: it estimates the population variance that inference divides
      // by, and the biased one would shrink it by (m-1)/m, most for small batches.
      float unbias = (float) m / (m - 1);
      for (int i = 0; i < n; i++) {
        double var = s2[i] / m;
        is[i] = (float) (1 / Math.sqrt(var + bnEpsilon));
        rm[i] = b * rm[i] + ob * mu[i];
        rv[i] = b * rv[i] + ob * ((float) var * unbias);
      }
      int g = gammaOff[k];
      int be = betaOff[k];
      for (int j = 0; j < m; j++) {
        int base = j * n;
        for (int i = 0; i < n; i++) {
          float zh = (zk[base + i] - mu[i]) * is[i];
          zk[base + i] = zh;
          pk[base + i] = params[g + i] * zh + params[be + i];
        }
      }
    } else {
      int off = biasOff[k];
      for (int j = 0; j < m; j++) {
        int base = j * n;
        for (int i = 0; i < n; i++) {
          pk[base + i] = zk[base + i] + params[off + i];
        }
      }
    }
    Kernels.activate(activation, pk, act[k], n * m);
    if (dropout) {
      Kernels.multiply(act[k], mask[k], out[k], n * m);
    }
  }

  private double softmaxCrossEntropy(int m) {
    int c = width[layers];
    float[] logits = z[layers - 1];
    float[] dz = delta[layers - 1];
    double invM = 1.0 / m;
    double loss = 0;
    int correct = 0;
    for (int j = 0; j < m; j++) {
      int base = j * c;
      int best = Kernels.argmax(logits, base, c);
      float max = logits[base + best];
      double sum = 0;
      for (int i = 0; i < c; i++) {
        double e = Math.exp(logits[base + i] - max);
        dz[base + i] = (float) e;
        sum += e;
      }
      int label = y[j];
      loss += Math.log(sum) - (logits[base + label] - max);
      if (best == label) {
        correct++;
      }
      double scale = invM / sum;
      for (int i = 0; i < c; i++) {
        dz[base + i] = (float) (dz[base + i] * scale);
      }
      dz[base + label] -= (float) invM;
    }
    lastCorrect = correct;
    return loss * invM;
  }

  /** Back-propagates the last {@link #forwardLoss}, filling {@code grads}. */
  void backward(int m) {
    backward(m, null, 0, null);
  }

  /**
   * Scales the L2 penalty for a new training set of {@code trainingSize} examples (lambda / N, as
   * at construction): a run continued on more rows keeps the penalty's meaning.
   */
  void trainingSize(int trainingSize) {
    if (trainingSize < 1) {
      throw new IllegalArgumentException("trainingSize: must be >= 1, got " + trainingSize);
    }
    this.l2PerExample = spec.l2() / trainingSize;
  }

  /**
   * Back-propagates the last {@link #forwardLoss} and, when {@code optimizer} is not null, applies
   * its step to each layer as soon as that layer's gradients are complete and its weights are no
   * longer needed (after the input-gradient product): the gradient is then still in cache, which
   * saves a trip to memory over all parameters per batch. {@code ratios}, when not null, receives
   * ||delta W_k|| / ||W_k|| per layer.
   */
  void backward(int m, Optimizer optimizer, double learningRate, double[] ratios) {
    if (optimizer != null) {
      optimizer.nextStep();
    }
    float l2 = (float) l2PerExample;
    for (int k = layers - 1; k >= 0; k--) {
      int nin = width[k];
      int nout = width[k + 1];
      float[] dz = delta[k];
      if (k < layers - 1) {
        hiddenBackward(k, m);
      } else {
        rowSums(dz, nout, m, biasOff[k]);
      }
      float[] in = k == 0 ? x : out[k - 1];
      float beta = 0f;
      if (l2 > 0) {
        int from = wOff[k];
        int to = from + nin * nout;
        for (int i = from; i < to; i++) {
          grads[i] = l2 * params[i];
        }
        beta = 1f;
      }
      blas.sgemm("N", "T", nout, nin, m, 1f, dz, 0, nout, in, 0, nin, beta, grads, wOff[k], nout);
      if (k > 0) {
        blas.sgemm(
            "T",
            "N",
            nin,
            m,
            nout,
            1f,
            params,
            wOff[k],
            nout,
            dz,
            0,
            nout,
            0f,
            delta[k - 1],
            0,
            nin);
      }
      if (optimizer != null) {
        update(k, optimizer, learningRate, ratios);
      }
    }
  }

  /** Columns per float partial sum before it is added to the double total. */
  private static final int SUM_BLOCK = 32;

  /*
   * Per-unit sums over the batch's columns of a (unit-contiguous) n x m block: float partial sums
   * over SUM_BLOCK columns, flushed into double totals. C2 in JDK 17 vectorises the float loops but
   * not a float-to-double widening inside the loop, and 32-term float sums lose nothing that
   * matters.
   */

  /** {@code sum[i] = sum_j a[i, j]} and, when {@code b != null}, {@code sumAb[i] = sum_j a*b}. */
  private void columnSums(float[] a, float[] b, int n, int m, double[] sum, double[] sumAb) {
    Arrays.fill(sum, 0, n, 0);
    if (b != null) {
      Arrays.fill(sumAb, 0, n, 0);
    }
    float[] p1 = part1;
    float[] p2 = part2;
    for (int j0 = 0; j0 < m; j0 += SUM_BLOCK) {
      int j1 = Math.min(m, j0 + SUM_BLOCK);
      Arrays.fill(p1, 0, n, 0f);
      if (b == null) {
        for (int j = j0; j < j1; j++) {
          int base = j * n;
          for (int i = 0; i < n; i++) {
            p1[i] += a[base + i];
          }
        }
      } else {
        Arrays.fill(p2, 0, n, 0f);
        for (int j = j0; j < j1; j++) {
          int base = j * n;
          for (int i = 0; i < n; i++) {
            float ai = a[base + i];
            p1[i] += ai;
            p2[i] += ai * b[base + i];
          }
        }
        for (int i = 0; i < n; i++) {
          sumAb[i] += p2[i];
        }
      }
      for (int i = 0; i < n; i++) {
        sum[i] += p1[i];
      }
    }
  }

  /** {@code out[i] = sum_j (a[i, j] - mu[i])^2}. */
  private void columnSquaredDeviations(float[] a, float[] mu, int n, int m, double[] out) {
    Arrays.fill(out, 0, n, 0);
    float[] p = part1;
    for (int j0 = 0; j0 < m; j0 += SUM_BLOCK) {
      int j1 = Math.min(m, j0 + SUM_BLOCK);
      Arrays.fill(p, 0, n, 0f);
      for (int j = j0; j < j1; j++) {
        int base = j * n;
        for (int i = 0; i < n; i++) {
          float dz = a[base + i] - mu[i];
          p[i] += dz * dz;
        }
      }
      for (int i = 0; i < n; i++) {
        out[i] += p[i];
      }
    }
  }

  private void rowSums(float[] d, int n, int m, int off) {
    double[] s = acc1;
    columnSums(d, null, n, m, s, null);
    for (int i = 0; i < n; i++) {
      grads[off + i] = (float) s[i];
    }
  }

  private void hiddenBackward(int k, int m) {
    int n = width[k + 1];
    int size = n * m;
    float[] d = delta[k];
    if (dropout) {
      Kernels.multiply(d, mask[k], d, size);
    }
    Kernels.derivative(activation, d, pre[k], act[k], size);
    if (!bn) {
      rowSums(d, n, m, biasOff[k]);
      return;
    }
    float[] zh = z[k];
    double[] sb = acc1;
    double[] sg = acc2;
    columnSums(d, zh, n, m, sb, sg);
    int g = gammaOff[k];
    int be = betaOff[k];
    float[] is = invStd[k];
    // dZ = gamma/(m sigma) * (m dY - sum dY - zhat * sum(dY zhat)), the closed form of BN's
    // backward pass (Ioffe & Szegedy 2015); coef/mean terms hoisted into the unit arrays.
    float[] coef = mean[k]; // the batch mean is no longer needed: reuse as scratch
    for (int i = 0; i < n; i++) {
      grads[g + i] = (float) sg[i];
      grads[be + i] = (float) sb[i];
      coef[i] = params[g + i] * is[i];
    }
    float invM = 1f / m;
    for (int j = 0; j < m; j++) {
      int base = j * n;
      for (int i = 0; i < n; i++) {
        d[base + i] =
            coef[i] * (d[base + i] - invM * (grads[be + i] + zh[base + i] * grads[g + i]));
      }
    }
  }

  private void update(int k, Optimizer optimizer, double learningRate, double[] ratios) {
    int from = wOff[k];
    int to = from + width[k] * width[k + 1];
    boolean measure = ratios != null;
    double sq = optimizer.update(params, grads, from, to, learningRate, measure);
    if (measure) {
      double w = 0;
      for (int i = from; i < to; i++) {
        w += (double) params[i] * params[i];
      }
      ratios[k] = w > 0 ? Math.sqrt(sq / w) : Double.POSITIVE_INFINITY;
    }
    int n = width[k + 1];
    int small = gammaOff[k] >= 0 ? gammaOff[k] : biasOff[k];
    int length = gammaOff[k] >= 0 ? 2 * n : n; // gamma and beta are adjacent
    optimizer.update(params, grads, small, small + length, learningRate, false);
  }

  /** An inference-mode copy of the current weights and running averages. */
  Model snapshot() {
    float[][] w = new float[layers][];
    float[][] bias = new float[layers][];
    float[][] gamma = new float[layers][];
    float[][] beta = new float[layers][];
    for (int k = 0; k < layers; k++) {
      w[k] = Arrays.copyOfRange(params, wOff[k], wOff[k] + width[k] * width[k + 1]);
      int n = width[k + 1];
      if (biasOff[k] >= 0) {
        bias[k] = Arrays.copyOfRange(params, biasOff[k], biasOff[k] + n);
      }
      if (gammaOff[k] >= 0) {
        gamma[k] = Arrays.copyOfRange(params, gammaOff[k], gammaOff[k] + n);
        beta[k] = Arrays.copyOfRange(params, betaOff[k], betaOff[k] + n);
      }
    }
    float[][] rm = new float[layers][];
    float[][] rv = new float[layers][];
    for (int k = 0; k < layers - 1; k++) {
      if (bn) {
        rm[k] = runMean[k].clone();
        rv[k] = runVar[k].clone();
      }
    }
    return new Model(spec, w, bias, gamma, beta, rm, rv);
  }
}
