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
 *     the epoch's last update (rule of thumb: about 1e-3)
 */
public record EpochStats(
    int epoch,
    double learningRate,
    double trainLoss,
    double trainAccuracy,
    double validationLoss,
    double validationAccuracy,
    double[] updateRatioPerLayer) {

  public EpochStats {
    updateRatioPerLayer = updateRatioPerLayer.clone();
  }

  @Override
  public double[] updateRatioPerLayer() {
    return updateRatioPerLayer.clone();
  }
}
