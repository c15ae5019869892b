package dev.caviar.nn;

/**
 * One epoch's babysitting figures.
 *
 * @param epoch from 0
 * @param learningRate the decayed rate used in this epoch
 * @param trainLoss mean mini-batch loss (cross-entropy + L2, training mode) over the epoch
 * @param trainAccuracy mini-batch accuracy in training mode (dropout on, batch statistics)
 * @param validationLoss inference-mode cross-entropy on the validation view after the epoch (NaN
 *     when there is no validation data)
 * @param validationAccuracy inference-mode accuracy on the validation view (NaN when none)
 * @param updateRatioPerLayer ||delta W|| / ||W|| per weight matrix, input side first, measured on
 *     the epoch's last update (rule of thumb: about 1e-3; see {@link #updateRatioInBand})
 */
public record EpochStats(
    int epoch,
    double learningRate,
    double trainLoss,
    double trainAccuracy,
    double validationLoss,
    double validationAccuracy,
    double[] updateRatioPerLayer) {

  /**
   * The band of healthy update/weight ratios (CS231n, "babysitting the learning process": about
   * 1e-3; far below, the learning rate is too low; far above, too high).
   */
  public static final double UPDATE_RATIO_LOW = 1e-4;

  /** The top of the healthy band (see {@link #UPDATE_RATIO_LOW}). */
  public static final double UPDATE_RATIO_HIGH = 1e-2;

  public EpochStats {
    updateRatioPerLayer = updateRatioPerLayer.clone();
  }

  /** Whether an update/weight ratio lies in [1e-4, 1e-2]; NaN is outside. */
  public static boolean updateRatioInBand(double ratio) {
    return ratio >= UPDATE_RATIO_LOW && ratio <= UPDATE_RATIO_HIGH;
  }

  @Override
  public double[] updateRatioPerLayer() {
    return updateRatioPerLayer.clone();
  }
}
