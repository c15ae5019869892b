package dev.caviar.study;

import dev.caviar.nn.EpochStats;
import dev.caviar.nn.HalfScores;
import dev.caviar.nn.TrainingResult;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One (round, trial, shard) training: what an executor sends back to the driver.
 *
 * @param round the round index
 * @param trial the trial number (unique within the study)
 * @param shard the shard it trained and was scored on
 * @param seed the training seed it used
 * @param status OK, DIVERGED or FAILED
 * @param validationAccuracy accuracy on the shard's validation rows (NaN if not OK)
 * @param validationLoss mean cross-entropy on the validation rows (NaN if not OK)
 * @param trainLoss mean training loss of the last epoch
 * @param epochsRun epochs completed
 * @param reason null when OK; why it diverged or failed otherwise
 * @param curve per-epoch learning curve, for the report
 * @param trainingNanos wall time spent training
 * @param initialLoss the data loss of the first mini-batch before any update (NaN when training
 *     never started); compare with {@code lnClasses}
 * @param lnClasses ln C, the loss of a uniform softmax (NaN when unknown)
 * @param executor the Spark executor that trained it (null when unknown or not on Spark)
 * @param blas the BLAS class that trained it (null when unknown)
 * @param validationHalves the validation scores on the even and odd positions of the shard's
 *     validation rows, from the same pass as the whole's ({@link HalfScores#NONE} when unknown: not
 *     OK, written before they were recorded, or a runner without validation rows); what {@link
 *     CrossFitEstimate} corrects the winner's score with
 */
public record ReplicateScore(
    int round,
    int trial,
    int shard,
    long seed,
    Status status,
    double validationAccuracy,
    double validationLoss,
    double trainLoss,
    int epochsRun,
    String reason,
    List<EpochRecord> curve,
    long trainingNanos,
    double initialLoss,
    double lnClasses,
    String executor,
    String blas,
    HalfScores validationHalves)
    implements Serializable {

  public ReplicateScore {
    if (!(round >= 0) || !(trial >= 0) || !(shard >= 0)) {
      throw new IllegalArgumentException(
          "replicate: round, trial and shard must be >= 0, got "
              + round
              + "/"
              + trial
              + "/"
              + shard);
    }
    if (status == null) {
      throw new IllegalArgumentException("replicate.status: is required");
    }
    if (status == Status.OK) {
      if (reason != null) {
        throw new IllegalArgumentException("replicate.reason: must be null when OK, got " + reason);
      }
      if (Double.isNaN(validationAccuracy) && Double.isNaN(validationLoss)) {
        throw new IllegalArgumentException(
            "replicate: an OK replicate needs a validation accuracy or loss, got NaN and NaN");
      }
      if (!Double.isNaN(validationAccuracy)
          && !(validationAccuracy >= 0 && validationAccuracy <= 1)) {
        throw new IllegalArgumentException(
            "replicate.validationAccuracy: must be in [0, 1], got " + validationAccuracy);
      }
    } else if (status == Status.STOPPED
        && Double.isNaN(validationAccuracy)
        && Double.isNaN(validationLoss)) {
      throw new IllegalArgumentException(
          "replicate: a STOPPED replicate keeps its checkpoint's validation accuracy or loss, got"
              + " NaN and NaN");
    }
    if (status != Status.OK && (reason == null || reason.isBlank())) {
      throw new IllegalArgumentException("replicate.reason: is required when " + status);
    }
    if (!(epochsRun >= 0)) {
      throw new IllegalArgumentException("replicate.epochsRun: must be >= 0, got " + epochsRun);
    }
    curve = curve == null ? List.of() : List.copyOf(curve);
    if (validationHalves == null) {
      validationHalves = HalfScores.NONE;
    }
  }

  /** A replicate without babysitting figures, the place it ran or its validation halves. */
  public ReplicateScore(
      int round,
      int trial,
      int shard,
      long seed,
      Status status,
      double validationAccuracy,
      double validationLoss,
      double trainLoss,
      int epochsRun,
      String reason,
      List<EpochRecord> curve,
      long trainingNanos) {
    this(
        round,
        trial,
        shard,
        seed,
        status,
        validationAccuracy,
        validationLoss,
        trainLoss,
        epochsRun,
        reason,
        curve,
        trainingNanos,
        Double.NaN,
        Double.NaN,
        null,
        null,
        HalfScores.NONE);
  }

  /** This replicate with its initial loss and ln C. */
  public ReplicateScore withInitialLoss(double initialLoss, double lnClasses) {
    return copy(status, reason, initialLoss, lnClasses, executor, blas, validationHalves);
  }

  /** This replicate with the executor and the BLAS class that trained it. */
  public ReplicateScore ranOn(String executor, String blas) {
    return copy(status, reason, initialLoss, lnClasses, executor, blas, validationHalves);
  }

  /** This replicate with its validation scores on the two halves of its validation rows. */
  public ReplicateScore withValidationHalves(HalfScores halves) {
    return copy(status, reason, initialLoss, lnClasses, executor, blas, halves);
  }

  private ReplicateScore copy(
      Status status,
      String reason,
      double initialLoss,
      double lnClasses,
      String executor,
      String blas,
      HalfScores validationHalves) {
    return new ReplicateScore(
        round,
        trial,
        shard,
        seed,
        status,
        validationAccuracy,
        validationLoss,
        trainLoss,
        epochsRun,
        reason,
        curve,
        trainingNanos,
        initialLoss,
        lnClasses,
        executor,
        blas,
        validationHalves);
  }

  /**
   * The smallest update/weight ratio over every epoch and layer (NaN ratios skipped); NaN when
   * none.
   */
  public double minUpdateRatio() {
    return ratios().min().orElse(Double.NaN);
  }

  /**
   * The largest update/weight ratio over every epoch and layer (NaN ratios skipped); NaN when none.
   */
  public double maxUpdateRatio() {
    return ratios().max().orElse(Double.NaN);
  }

  private java.util.stream.DoubleStream ratios() {
    return curve.stream()
        .flatMap(e -> e.updateRatios().stream())
        .mapToDouble(Double::doubleValue)
        .filter(r -> !Double.isNaN(r));
  }

  /**
   * The babysitting warnings of this replicate, joined by "; " (empty when none): an initial loss
   * more than 10% away from ln C, and update/weight ratios outside 1e-4..1e-2 (the rules and their
   * thresholds belong to the engine: {@link TrainingResult#initialLossWarning(double, double)},
   * {@link EpochStats#updateRatioInBand}).
   */
  public String babysitting() {
    List<String> out = new ArrayList<>();
    String initial = TrainingResult.initialLossWarning(initialLoss, lnClasses);
    if (!initial.isEmpty()) {
      out.add(initial);
    }
    int outside = 0;
    int all = 0;
    double worst = Double.NaN;
    int worstEpoch = 0;
    int worstLayer = 0;
    for (EpochRecord e : curve) {
      List<Double> ratios = e.updateRatios();
      for (int k = 0; k < ratios.size(); k++) {
        double r = ratios.get(k);
        all++;
        if (!EpochStats.updateRatioInBand(r)) {
          outside++;
          if (Double.isNaN(worst) || distanceFromBand(r) > distanceFromBand(worst)) {
            worst = r;
            worstEpoch = e.epoch();
            worstLayer = k + 1;
          }
        }
      }
    }
    if (outside > 0) {
      out.add(
          String.format(
              Locale.ROOT,
              "update/weight ratio outside %.0e..%.0e in %d of %d (epoch, layer) pairs, worst"
                  + " %.3g (epoch %d, layer %d)",
              EpochStats.UPDATE_RATIO_LOW,
              EpochStats.UPDATE_RATIO_HIGH,
              outside,
              all,
              worst,
              worstEpoch,
              worstLayer));
    }
    return String.join("; ", out);
  }

  // How many decades a ratio lies outside the band; NaN and infinities count as the farthest.
  private static double distanceFromBand(double r) {
    if (!(r > 0) || Double.isInfinite(r)) {
      return Double.POSITIVE_INFINITY;
    }
    return Math.max(
        Math.log10(EpochStats.UPDATE_RATIO_LOW / r), Math.log10(r / EpochStats.UPDATE_RATIO_HIGH));
  }

  public static ReplicateScore ok(
      int round,
      int trial,
      int shard,
      long seed,
      double validationAccuracy,
      double validationLoss,
      double trainLoss,
      int epochsRun,
      List<EpochRecord> curve,
      long trainingNanos) {
    return new ReplicateScore(
        round,
        trial,
        shard,
        seed,
        Status.OK,
        validationAccuracy,
        validationLoss,
        trainLoss,
        epochsRun,
        null,
        curve,
        trainingNanos);
  }

  /**
   * This OK replicate, trained to an early-stopping checkpoint, as STOPPED there: its scores are
   * the checkpoint's.
   */
  public ReplicateScore stopped(String why) {
    if (status != Status.OK) {
      throw new IllegalArgumentException(
          "replicate.status: only an OK replicate stops, got " + status);
    }
    return copy(Status.STOPPED, why, initialLoss, lnClasses, executor, blas, validationHalves);
  }

  public static ReplicateScore notOk(
      int round,
      int trial,
      int shard,
      long seed,
      Status status,
      String reason,
      int epochsRun,
      List<EpochRecord> curve,
      long trainingNanos) {
    if (status == Status.OK || status == Status.STOPPED) {
      throw new IllegalArgumentException(
          "replicate.status: must not be OK or STOPPED here, got " + status);
    }
    return new ReplicateScore(
        round,
        trial,
        shard,
        seed,
        status,
        Double.NaN,
        Double.NaN,
        Double.NaN,
        epochsRun,
        reason,
        curve,
        trainingNanos);
  }
}
