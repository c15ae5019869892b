package dev.caviar.nn;

import java.util.List;

/**
 * The outcome of one training run.
 *
 * @param status OK, or DIVERGED when the loss became NaN/Inf or exceeded {@code divergenceFactor x
 *     initialLoss}
 * @param reason why it diverged (empty when OK)
 * @param divergedEpoch epoch (from 0) of the offending mini-batch, -1 when OK
 * @param divergedBatch mini-batch (from 0 within that epoch), -1 when OK
 * @param initialLoss loss of the first mini-batch before any update; compare with {@code lnClasses}
 * @param lnClasses ln C, the loss of a uniform prediction
 * @param history one entry per completed epoch
 * @param validationLoss final inference-mode validation loss; +Infinity when DIVERGED, NaN when no
 *     validation data was given
 * @param validationAccuracy final validation accuracy; 0 when DIVERGED, NaN when no validation data
 * @param trainingNanos wall time of the training loop (validation passes included)
 * @param examplesSeen training examples processed (for throughput)
 * @param model the trained network in inference mode; null when DIVERGED
 * @param validationHalves the final validation scores on the even and odd positions of the
 *     validation view; {@link HalfScores#NONE} when DIVERGED or without validation data
 */
public record TrainingResult(
    Status status,
    String reason,
    int divergedEpoch,
    int divergedBatch,
    double initialLoss,
    double lnClasses,
    List<EpochStats> history,
    double validationLoss,
    double validationAccuracy,
    long trainingNanos,
    long examplesSeen,
    Model model,
    HalfScores validationHalves) {

  /** Whether training ran to its end (or to a requested early stop). */
  public enum Status {
    OK,
    DIVERGED
  }

  public TrainingResult {
    history = List.copyOf(history);
    if (validationHalves == null) {
      validationHalves = HalfScores.NONE;
    }
  }

  public boolean diverged() {
    return status == Status.DIVERGED;
  }

  /** How far the initial loss may stray from ln C before the start is suspect (CS231n: "about"). */
  public static final double INITIAL_LOSS_TOLERANCE = 0.1;

  /**
   * The babysitting warning of this run: empty when the initial data loss is within 10% of ln C
   * (the loss of a uniform softmax), else a sentence saying how far off it is — a sign of a broken
   * initialisation, unscaled inputs or wrong labels.
   */
  public String initialLossWarning() {
    return initialLossWarning(initialLoss, lnClasses);
  }

  /**
   * The warning of {@link #initialLossWarning()} for any initial loss and ln C, for readers of
   * stored results; empty when within tolerance or when ln C is unknown (NaN: a replicate that
   * never started training). A NaN initial loss is warned.
   */
  public static String initialLossWarning(double initialLoss, double lnClasses) {
    if (Double.isNaN(lnClasses)
        || Math.abs(initialLoss - lnClasses) <= INITIAL_LOSS_TOLERANCE * lnClasses) {
      return "";
    }
    return String.format(
        java.util.Locale.ROOT,
        "initial loss %.4g is more than %.0f%% away from ln C = %.4g",
        initialLoss,
        100 * INITIAL_LOSS_TOLERANCE,
        lnClasses);
  }
}
