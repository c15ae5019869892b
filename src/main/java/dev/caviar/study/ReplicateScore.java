package dev.caviar.study;

import java.io.Serializable;
import java.util.List;

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
    long trainingNanos)
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
    } else if (reason == null || reason.isBlank()) {
      throw new IllegalArgumentException("replicate.reason: is required when " + status);
    }
    if (!(epochsRun >= 0)) {
      throw new IllegalArgumentException("replicate.epochsRun: must be >= 0, got " + epochsRun);
    }
    curve = curve == null ? List.of() : List.copyOf(curve);
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
    if (status == Status.OK) {
      throw new IllegalArgumentException("replicate.status: must not be OK here");
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
