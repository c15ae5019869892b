package dev.caviar.nn;

import dev.ludovic.netlib.blas.BLAS;
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
    TrainingRun run = TrainingRun.start(spec, train, validation, seed, blas);
    run.advance(spec.epochs(), listener);
    return run.result();
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

  static void check(NetworkSpec spec, DataView data, String name) {
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
