package dev.caviar.study;

import dev.caviar.nn.HalfScores;
import dev.caviar.space.ConfigName;

/**
 * The metric a study optimises. Ranking and narrowing use {@link #score}, where higher is always
 * better; reports show {@link #value}, the metric in its own units.
 */
public enum Objective implements ConfigName {
  /** Validation accuracy, maximised. */
  ACCURACY,
  /** Validation loss, minimised. */
  LOSS;

  public static Objective parse(String key, String name) {
    return ConfigName.parse(Objective.class, key, name);
  }

  /** The metric of a replicate in its own units. */
  public double value(ReplicateScore r) {
    return this == ACCURACY ? r.validationAccuracy() : r.validationLoss();
  }

  /**
   * The metric of a replicate on half A (the even positions) of its validation rows; NaN if
   * unknown.
   */
  public double valueOnA(ReplicateScore r) {
    HalfScores h = r.validationHalves();
    return this == ACCURACY ? h.accuracyA() : h.lossA();
  }

  /**
   * The metric of a replicate on half B (the odd positions) of its validation rows; NaN if unknown.
   */
  public double valueOnB(ReplicateScore r) {
    HalfScores h = r.validationHalves();
    return this == ACCURACY ? h.accuracyB() : h.lossB();
  }

  /** Converts a metric value to "higher is better". */
  public double score(double value) {
    return this == ACCURACY ? value : -value;
  }
}
