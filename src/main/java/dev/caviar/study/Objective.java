package dev.caviar.study;

import java.util.Locale;

/**
 * The metric a study optimises. Ranking and narrowing use {@link #score}, where higher is always
 * better; reports show {@link #value}, the metric in its own units.
 */
public enum Objective {
  /** Validation accuracy, maximised. */
  ACCURACY,
  /** Validation loss, minimised. */
  LOSS;

  public static Objective parse(String key, String name) {
    for (Objective o : values()) {
      if (o.configName().equals(name)) {
        return o;
      }
    }
    throw new IllegalArgumentException(key + ": must be one of accuracy, loss, got '" + name + "'");
  }

  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The metric of a replicate in its own units. */
  public double value(ReplicateScore r) {
    return this == ACCURACY ? r.validationAccuracy() : r.validationLoss();
  }

  /** Converts a metric value to "higher is better". */
  public double score(double value) {
    return this == ACCURACY ? value : -value;
  }
}
