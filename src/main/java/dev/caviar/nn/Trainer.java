package dev.caviar.nn;

import dev.ludovic.netlib.blas.BLAS;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Trains one network: seeded shuffles, mini-batches, forward/backward, optimizer steps, with the
 * babysitting of the course built in (initial loss next to ln C, divergence stop, per-epoch losses
 * and update/weight ratios). Single-threaded and deterministic: the same spec, data, seed and BLAS
 * give bit-identical weights and scores.
 */
public final class Trainer {
  private Trainer() {}

  /** Trains with the BLAS netlib picks for this JVM, without an epoch listener. */
  public static TrainingResult train(
      NetworkSpec spec, DataView train, DataView validation, long seed) {
    return train(spec, train, validation, seed, EpochListener.NONE, DefaultBlas.get());
  }

  /**
   * As {@link #train(NetworkSpec, DataView, DataView, long)}, calling {@code listener} per epoch.
   */
  public static TrainingResult train(
      NetworkSpec spec, DataView train, DataView validation, long seed, EpochListener listener) {
    return train(spec, train, validation, seed, listener, DefaultBlas.get());
  }

  /**
   * Trains on {@code train}, scoring {@code validation} (null or empty: no validation figures)
   * after every epoch. One {@code seed} drives the initial weights, the shuffles and the dropout
   * masks through three streams derived from it. A diverging run is a result, not an exception.
   *
   * @param blas the BLAS to use for every product (fixed for the run, for determinism)
   */
  public static TrainingResult train(
      NetworkSpec spec,
      DataView train,
      DataView validation,
      long seed,
      EpochListener listener,
      BLAS blas) {
    check(spec, train, "train");
    if (train.size() == 0) {
      throw new IllegalArgumentException("train: must hold at least one example, got 0");
    }
    if (spec.usesBatchStatistics() && train.size() < 2) {
      throw new IllegalArgumentException(
          "train: must hold at least 2 examples with batch norm (a mini-batch of one has zero"
              + " variance and trains nothing), got "
              + train.size());
    }
    boolean validating = validation != null && validation.size() > 0;
    if (validating) {
      check(spec, validation, "validation");
    }
    SplittableRandom root = new SplittableRandom(seed);
    long initSeed = root.nextLong();
    SplittableRandom shuffle = new SplittableRandom(root.nextLong());
    long dropoutSeed = root.nextLong();

    int n = train.size();
    int batch = spec.batchSize();
    Network net = new Network(spec, blas, Math.min(batch, n), n, initSeed, dropoutSeed);
    Optimizer optimizer = new Optimizer(spec.optimizer(), net.params.length);
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = train.row(i);
    }
    int batches = (n + batch - 1) / batch;
    if (spec.usesBatchStatistics() && n % batch == 1) {
      // A last mini-batch of one example has zero variance: BN would give it zero gradients and
      // pull the running variance towards 0. It is left out of this epoch (the shuffle brings it
      // back in the next), as frameworks that refuse BN batches of one effectively require.
      batches--;
    }
    double lnClasses = Math.log(spec.classes());
    double initial = Double.NaN;
    List<EpochStats> history = new ArrayList<>();
    Model model = null;
    Model.Evaluation score = null;
    long seen = 0;
    long start = System.nanoTime();
    for (int epoch = 0; epoch < spec.epochs(); epoch++) {
      double lr = spec.decay().learningRate(spec.learningRate(), epoch);
      shuffle(order, shuffle);
      double lossSum = 0;
      long correct = 0;
      long used = 0;
      double[] ratios = new double[net.layers];
      for (int b = 0; b < batches; b++) {
        int from = b * batch;
        int m = Math.min(batch, n - from);
        net.gather(train, order, from, m);
        net.drawMasks(m);
        double loss = net.forwardLoss(m);
        if (epoch == 0 && b == 0) {
          // The data loss alone: the ln C check is about the softmax's initial uniformity, which
          // the L2 term (large when lambda is) would hide.
          initial = net.lastDataLoss;
        }
        String reason = divergence(loss, net.lastDataLoss, initial, spec.divergenceFactor());
        if (reason != null) {
          return diverged(
              reason, epoch, b, initial, lnClasses, history, System.nanoTime() - start, seen);
        }
        lossSum += loss * m;
        correct += net.lastCorrect;
        used += m;
        seen += m;
        net.backward(m, optimizer, lr, b == batches - 1 ? ratios : null);
      }
      model = net.snapshot();
      double vLoss = Double.NaN;
      double vAccuracy = Double.NaN;
      if (validating) {
        score = model.evaluate(validation, blas);
        vLoss = score.loss();
        vAccuracy = score.accuracy();
        if (!Double.isFinite(vLoss)) {
          return diverged(
              "validation loss is " + vLoss + " after the epoch",
              epoch,
              batches - 1,
              initial,
              lnClasses,
              history,
              System.nanoTime() - start,
              seen);
        }
      }
      EpochStats stats =
          new EpochStats(
              epoch, lr, lossSum / used, (double) correct / used, vLoss, vAccuracy, ratios);
      history.add(stats);
      if (!listener.onEpoch(stats)) {
        break;
      }
    }
    long nanos = System.nanoTime() - start;
    return new TrainingResult(
        TrainingResult.Status.OK,
        "",
        -1,
        -1,
        initial,
        lnClasses,
        history,
        score == null ? Double.NaN : score.loss(),
        score == null ? Double.NaN : score.accuracy(),
        nanos,
        seen,
        model);
  }

  /** Fisher-Yates: every permutation of {@code order} equally likely. */
  static void shuffle(int[] order, SplittableRandom rng) {
    for (int i = order.length - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
  }

  /**
   * Why a mini-batch stops the run, or null: its loss (data + L2) is NaN or infinite, or its data
   * loss exceeds {@code factor} times the initial data loss (both without the L2 term, so a large
   * lambda is not mistaken for an explosion).
   */
  static String divergence(double loss, double dataLoss, double initial, double factor) {
    if (Double.isNaN(loss) || Double.isInfinite(loss)) {
      return "loss is " + loss;
    }
    if (dataLoss > factor * initial) {
      return String.format("loss %.4g exceeds %.4g x initial loss %.4g", dataLoss, factor, initial);
    }
    return null;
  }

  private static TrainingResult diverged(
      String reason,
      int epoch,
      int batch,
      double initial,
      double lnClasses,
      List<EpochStats> history,
      long nanos,
      long seen) {
    return new TrainingResult(
        TrainingResult.Status.DIVERGED,
        reason,
        epoch,
        batch,
        initial,
        lnClasses,
        history,
        Double.POSITIVE_INFINITY,
        0,
        nanos,
        seen,
        null);
  }

  private static void check(NetworkSpec spec, DataView data, String name) {
    if (data.width() != spec.inputs()) {
      throw new IllegalArgumentException(
          String.format(
              "%s.width: must equal the spec's inputs %d, got %d",
              name, spec.inputs(), data.width()));
    }
    int[] labels = data.labels();
    for (int i = 0; i < data.size(); i++) {
      int label = labels[data.row(i)];
      if (label < 0 || label >= spec.classes()) {
        throw new IllegalArgumentException(
            String.format(
                "%s.labels[%d]: must be in [0, %d), got %d",
                name, data.row(i), spec.classes(), label));
      }
    }
  }
}
