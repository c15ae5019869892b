package dev.caviar.nn;

import dev.ludovic.netlib.blas.BLAS;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One network's training, paused between epochs: the weights, the optimizer's moments and step
 * count, the batch-norm running statistics, the shuffle and dropout generators and the curve so far
 * all live here, so that {@code advance(10)} then {@code advance(30)} gives bit for bit what {@code
 * advance(30)} gives. A round with early stopping trains every trial to a checkpoint, ranks them,
 * and advances only the survivors.
 *
 * <p>Single-threaded; not serializable (it holds live generators): it stays in the JVM that started
 * it, and a run lost with its executor is started again from its seed, to the same state.
 */
public final class TrainingRun {
  private final NetworkSpec spec;
  private final DataView train;
  private final DataView validation;
  private final boolean validating;
  private final BLAS blas;
  private final Network net;
  private final Optimizer optimizer;
  private final SplittableRandom shuffle;
  private final int[] order;
  private final int batches;
  private final double lnClasses;
  private final List<EpochStats> history = new ArrayList<>();
  private double initial = Double.NaN;
  private Model model;
  private Model.Evaluation score;
  private long seen;
  private long nanos;
  private boolean stopped;
  private String divergence;
  private int divergedEpoch = -1;
  private int divergedBatch = -1;

  // A run continued from `from` on other rows, for `extra` more epochs; shares nothing mutable
  // with it afterwards (`from` is spent).
  private TrainingRun(TrainingRun from, DataView train, int extra, double rateScale) {
    this.spec =
        from.spec.toBuilder()
            .epochs(from.history.size() + extra)
            .learningRate(from.spec.learningRate() * rateScale)
            .build();
    this.train = train;
    this.validation = null;
    this.validating = false;
    this.blas = from.blas;
    this.net = from.net;
    this.optimizer = from.optimizer;
    this.shuffle = from.shuffle;
    int n = train.size();
    int batch = spec.batchSize();
    if (Math.min(batch, n) > net.maxBatch) {
      throw new IllegalArgumentException(
          String.format(
              "train: the run was sized for mini-batches of %d rows (its %d training rows); it"
                  + " cannot go on with mini-batches of %d",
              net.maxBatch, from.order.length, Math.min(batch, n)));
    }
    net.trainingSize(n);
    this.order = rows(train);
    this.batches = batches(spec, n);
    this.lnClasses = from.lnClasses;
    this.history.addAll(from.history);
    this.initial = from.initial;
    this.model = from.model;
    this.seen = from.seen;
    this.nanos = from.nanos;
  }

  // The same run with more epochs to go: the same rows, validation and state (`from` is spent).
  private TrainingRun(TrainingRun from, int epochs) {
    this.spec = from.spec.toBuilder().epochs(epochs).build();
    this.train = from.train;
    this.validation = from.validation;
    this.validating = from.validating;
    this.blas = from.blas;
    this.net = from.net;
    this.optimizer = from.optimizer;
    this.shuffle = from.shuffle;
    // The shuffle permutes this array in place, epoch after epoch: the order goes on too.
    this.order = from.order;
    this.batches = from.batches;
    this.lnClasses = from.lnClasses;
    this.history.addAll(from.history);
    this.initial = from.initial;
    this.model = from.model;
    this.score = from.score;
    this.seen = from.seen;
    // The clock counts this run's own epochs: the earlier ones were the previous round's time.
    this.nanos = 0;
  }

  private TrainingRun(NetworkSpec spec, DataView train, DataView validation, long seed, BLAS blas) {
    this.spec = spec;
    this.train = train;
    this.validation = validation;
    this.validating = validation != null && validation.size() > 0;
    this.blas = blas;
    SplittableRandom root = new SplittableRandom(seed);
    long initSeed = root.nextLong();
    this.shuffle = new SplittableRandom(root.nextLong());
    long dropoutSeed = root.nextLong();
    int n = train.size();
    int batch = spec.batchSize();
    this.net = new Network(spec, blas, Math.min(batch, n), n, initSeed, dropoutSeed);
    this.optimizer = new Optimizer(spec.optimizer(), net.params.length);
    this.order = rows(train);
    this.batches = batches(spec, n);
    this.lnClasses = Math.log(spec.classes());
  }

  private static int[] rows(DataView train) {
    int[] order = new int[train.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = train.row(i);
    }
    return order;
  }

  private static int batches(NetworkSpec spec, int n) {
    int batch = spec.batchSize();
    int b = (n + batch - 1) / batch;
    if (spec.usesBatchStatistics() && n % batch == 1) {
      // A last mini-batch of one example has zero variance: BN would give it zero gradients and
      // pull the running variance towards 0. It is left out of this epoch (the shuffle brings it
      // back in the next), as frameworks that refuse BN batches of one effectively require.
      b--;
    }
    return b;
  }

  /** As {@link #start(NetworkSpec, DataView, DataView, long, BLAS)} with the BLAS netlib picks. */
  public static TrainingRun start(
      NetworkSpec spec, DataView train, DataView validation, long seed) {
    return start(spec, train, validation, seed, DefaultBlas.get());
  }

  /**
   * A run at epoch 0 on {@code train}, scoring {@code validation} (null or empty: no validation
   * figures) after every epoch. One {@code seed} drives the initial weights, the shuffles and the
   * dropout masks through three streams derived from it.
   *
   * @param blas the BLAS for every product (fixed for the run, for determinism)
   */
  public static TrainingRun start(
      NetworkSpec spec, DataView train, DataView validation, long seed, BLAS blas) {
    Trainer.check(spec, train, "train");
    if (train.size() == 0) {
      throw new IllegalArgumentException("train: must hold at least one example, got 0");
    }
    if (spec.usesBatchStatistics() && train.size() < 2) {
      throw new IllegalArgumentException(
          "train: must hold at least 2 examples with batch norm (a mini-batch of one has zero"
              + " variance and trains nothing), got "
              + train.size());
    }
    if (validation != null && validation.size() > 0) {
      Trainer.check(spec, validation, "validation");
    }
    return new TrainingRun(spec, train, validation, seed, blas);
  }

  /**
   * This run, done with its own epochs, trained on for {@code extra} more epochs on {@code train}
   * (typically its training rows and the validation rows it was chosen on): the weights, the
   * optimizer's moments and step, the batch-norm statistics and the generators carry on, the
   * learning-rate schedule goes on from the epoch reached, and the L2 penalty is rescaled to the
   * new row count. Nothing is validated any more. This run must not be advanced afterwards.
   *
   * @throws IllegalStateException when this run has diverged or has epochs left
   */
  public TrainingRun continueOn(DataView train, int extra) {
    return continueOn(train, extra, 1);
  }

  /**
   * As {@link #continueOn(DataView, int)}, with the schedule's learning rate times {@code
   * rateScale} for the continued epochs: below 1, the network is fine-tuned at a lower rate (an
   * annealing step at the end of the schedule).
   *
   * @throws IllegalArgumentException when {@code rateScale} is not in (0, 1]
   */
  public TrainingRun continueOn(DataView train, int extra, double rateScale) {
    if (divergence != null || history.size() < spec.epochs()) {
      throw new IllegalStateException(
          "continueOn: the run must have finished its "
              + spec.epochs()
              + " epochs without diverging; it is at epoch "
              + history.size()
              + (divergence == null ? "" : ", diverged: " + divergence));
    }
    if (extra < 1) {
      throw new IllegalArgumentException("extra: must be >= 1, got " + extra);
    }
    if (!(rateScale > 0 && rateScale <= 1)) {
      throw new IllegalArgumentException("rateScale: must be in (0, 1], got " + rateScale);
    }
    Trainer.check(spec, train, "train");
    return new TrainingRun(this, train, extra, rateScale);
  }

  /**
   * This run, done with its own epochs, going on to {@code epochs} on the same rows and validating
   * as before: a trial carried into the next round continues where the round left it. Nothing in an
   * epoch depends on how many epochs the run has, so the result is bit for bit what a run started
   * with {@code epochs} from the same seed reaches; only {@link #trainingNanos} starts again from
   * 0. This run must not be advanced afterwards.
   *
   * @throws IllegalStateException when this run has diverged, was stopped or has epochs left
   * @throws IllegalArgumentException when {@code epochs} is below the epochs already done
   */
  public TrainingRun extendTo(int epochs) {
    if (divergence != null || stopped || history.size() < spec.epochs()) {
      throw new IllegalStateException(
          "extendTo: the run must have finished its "
              + spec.epochs()
              + " epochs without diverging or being stopped; it is at epoch "
              + history.size()
              + (divergence == null ? "" : ", diverged: " + divergence));
    }
    if (epochs < history.size()) {
      throw new IllegalArgumentException(
          "epochs: must be >= the " + history.size() + " epochs done, got " + epochs);
    }
    return new TrainingRun(this, epochs);
  }

  /** Epochs completed so far. */
  public int epochsDone() {
    return history.size();
  }

  /**
   * Whether nothing is left to train: the spec's epochs are done, the run diverged, or a listener
   * stopped it.
   */
  public boolean finished() {
    return divergence != null || stopped || history.size() >= spec.epochs();
  }

  /** Whether the run diverged (a result, not an exception). */
  public boolean diverged() {
    return divergence != null;
  }

  /**
   * Trains until {@code epochs} epochs are done (capped at the spec's), the run diverges, or {@code
   * listener} returns false; a finished run stays as it is.
   */
  public TrainingRun advance(int epochs, EpochListener listener) {
    int until = Math.min(epochs, spec.epochs());
    long begin = System.nanoTime();
    try {
      while (!finished() && history.size() < until) {
        if (!epoch(history.size())) {
          return this;
        }
        if (!listener.onEpoch(history.get(history.size() - 1))) {
          stopped = true;
        }
      }
      return this;
    } finally {
      nanos += System.nanoTime() - begin;
    }
  }

  // One epoch; false when it diverged.
  private boolean epoch(int epoch) {
    int n = order.length;
    int batch = spec.batchSize();
    double lr = spec.decay().learningRate(spec.learningRate(), epoch);
    Trainer.shuffle(order, shuffle);
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
      String reason = Trainer.divergence(loss, net.lastDataLoss, initial, spec.divergenceFactor());
      if (reason != null) {
        return diverge(reason, epoch, b);
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
        return diverge("validation loss is " + vLoss + " after the epoch", epoch, batches - 1);
      }
    }
    history.add(
        new EpochStats(
            epoch, lr, lossSum / used, (double) correct / used, vLoss, vAccuracy, ratios));
    return true;
  }

  private boolean diverge(String reason, int epoch, int batch) {
    divergence = reason;
    divergedEpoch = epoch;
    divergedBatch = batch;
    model = null;
    return false;
  }

  /** Time spent training so far, in nanoseconds (validation included). */
  public long trainingNanos() {
    return nanos;
  }

  /** Parameters and optimizer moments held, in floats: what keeping this run paused costs. */
  public long stateFloats() {
    return (long) net.params.length * (1 + optimizer.moments());
  }

  /**
   * The run as it stands: DIVERGED with the reason, or OK with the curve so far and the last
   * epoch's network and validation figures.
   */
  public TrainingResult result() {
    if (divergence != null) {
      return new TrainingResult(
          TrainingResult.Status.DIVERGED,
          divergence,
          divergedEpoch,
          divergedBatch,
          initial,
          lnClasses,
          history,
          Double.POSITIVE_INFINITY,
          0,
          nanos,
          seen,
          null,
          HalfScores.NONE);
    }
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
        model,
        score == null ? HalfScores.NONE : score.halves());
  }
}
