package dev.caviar.report;

import dev.caviar.study.Objective;
import dev.caviar.study.Status;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One trial of a round as {@code trials.json} holds it, read back for the report, {@code caviar
 * show} and notebooks' Java side.
 *
 * @param metric the study's objective
 * @param params the trial's hyperparameters: Integer, Double, Boolean or String values
 */
public record TrialRecord(
    int round,
    int trial,
    int carriedFrom,
    int epochs,
    long seed,
    Status status,
    Objective metric,
    double mean,
    double std,
    int n,
    double min,
    double max,
    int diverged,
    int failed,
    Map<String, Object> params) {
  public TrialRecord {
    if (status == null || metric == null || params == null) {
      throw new IllegalArgumentException(
          "trial " + trial + " of round " + round + ": status, metric and params are required");
    }
    params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
  }

  public boolean ok() {
    return status == Status.OK;
  }

  /** Whether a larger mean is better (accuracy) rather than a smaller one (loss). */
  public boolean higherIsBetter() {
    return metric == Objective.ACCURACY;
  }
}
