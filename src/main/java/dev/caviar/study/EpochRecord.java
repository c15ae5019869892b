package dev.caviar.study;

import java.io.Serializable;
import java.util.List;

/**
 * One point of a learning curve; losses may be NaN once a replicate has diverged.
 *
 * @param epoch from 1
 * @param updateRatios ||delta W|| / ||W|| per weight matrix, input side first, measured on the
 *     epoch's last update (empty when not recorded)
 */
public record EpochRecord(
    int epoch,
    double trainLoss,
    double validationLoss,
    double validationAccuracy,
    List<Double> updateRatios)
    implements Serializable {
  public EpochRecord {
    if (!(epoch >= 1)) {
      throw new IllegalArgumentException("epoch: must be >= 1, got " + epoch);
    }
    updateRatios = updateRatios == null ? List.of() : List.copyOf(updateRatios);
  }

  /** A point without update ratios. */
  public EpochRecord(
      int epoch, double trainLoss, double validationLoss, double validationAccuracy) {
    this(epoch, trainLoss, validationLoss, validationAccuracy, List.of());
  }
}
