package dev.caviar.study;

import java.io.Serializable;

/** One point of a learning curve; losses may be NaN once a replicate has diverged. */
public record EpochRecord(
    int epoch, double trainLoss, double validationLoss, double validationAccuracy)
    implements Serializable {
  public EpochRecord {
    if (!(epoch >= 1)) {
      throw new IllegalArgumentException("epoch: must be >= 1, got " + epoch);
    }
  }
}
