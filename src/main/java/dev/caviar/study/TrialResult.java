package dev.caviar.study;

import java.io.Serializable;
import java.util.Comparator;
import java.util.List;

/**
 * A trial's replicates aggregated: statistics of the objective (in its own units) over the OK
 * replicates. A trial is OK when any replicate is. A trial early stopping ended is STOPPED, with
 * the statistics of its checkpoint's scores: they describe it, but it ranks below every OK trial.
 *
 * @param trial the trial
 * @param objective the metric aggregated
 * @param status OK if any replicate is OK; else STOPPED if any was stopped; else DIVERGED if any
 *     diverged; else FAILED
 * @param mean mean metric over OK replicates, or over the STOPPED ones at their checkpoint (NaN
 *     when none)
 * @param std sample standard deviation over OK replicates (0 when fewer than two)
 * @param n replicates in the mean (OK ones; STOPPED ones for a stopped trial)
 * @param min smallest metric value
 * @param max largest metric value
 * @param diverged diverged replicates
 * @param failed failed replicates
 * @param replicates every replicate, ordered by shard
 */
public record TrialResult(
    Trial trial,
    Objective objective,
    Status status,
    double mean,
    double std,
    int n,
    double min,
    double max,
    int diverged,
    int failed,
    List<ReplicateScore> replicates)
    implements Serializable {

  public TrialResult {
    if (trial == null || objective == null || status == null) {
      throw new IllegalArgumentException("result: trial, objective and status are required");
    }
    if (status == Status.OK && !(n >= 1 && Double.isFinite(mean))) {
      throw new IllegalArgumentException(
          "result.mean: an OK trial needs a finite mean over n >= 1, got " + mean + " over " + n);
    }
    replicates = List.copyOf(replicates);
  }

  /** Aggregates the replicates of one trial; replicates of other trials are an error. */
  public static TrialResult aggregate(
      Trial trial, List<ReplicateScore> replicates, Objective objective) {
    double sum = 0;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    int n = 0;
    int diverged = 0;
    int failed = 0;
    boolean stopped =
        replicates.stream().anyMatch(r -> r.status() == Status.STOPPED)
            && replicates.stream().noneMatch(r -> r.status() == Status.OK);
    Status counted = stopped ? Status.STOPPED : Status.OK;
    for (ReplicateScore r : replicates) {
      if (r.trial() != trial.number() || r.round() != trial.round()) {
        throw new IllegalArgumentException(
            "result: replicate of trial "
                + r.trial()
                + " (round "
                + r.round()
                + ") given to trial "
                + trial.number()
                + " (round "
                + trial.round()
                + ")");
      }
      double v = objective.value(r);
      if (r.status() == counted && Double.isFinite(v)) {
        sum += v;
        min = Math.min(min, v);
        max = Math.max(max, v);
        n++;
      } else if (r.status() == Status.FAILED) {
        failed++;
      } else {
        // An OK replicate without the metric counts as diverged: it produced no usable score.
        diverged++;
      }
    }
    double mean = n == 0 ? Double.NaN : sum / n;
    double ss = 0;
    for (ReplicateScore r : replicates) {
      double v = objective.value(r);
      if (r.status() == counted && Double.isFinite(v)) {
        ss += (v - mean) * (v - mean);
      }
    }
    double std = n >= 2 ? Math.sqrt(ss / (n - 1)) : 0;
    Status status = n > 0 ? counted : diverged > 0 ? Status.DIVERGED : Status.FAILED;
    List<ReplicateScore> sorted =
        replicates.stream().sorted(Comparator.comparingInt(ReplicateScore::shard)).toList();
    return new TrialResult(
        trial,
        objective,
        status,
        mean,
        std,
        n,
        n == 0 ? Double.NaN : min,
        n == 0 ? Double.NaN : max,
        diverged,
        failed,
        sorted);
  }

  /** Higher is better; negative infinity when the trial is not OK. */
  public double score() {
    return status == Status.OK ? objective.score(mean) : Double.NEGATIVE_INFINITY;
  }

  /** Standard error of the mean (0 with a single replicate: no spread is known). */
  public double standardError() {
    return n >= 2 ? std / Math.sqrt(n) : 0;
  }

  /**
   * Standard error of the mean, a single replicate's spread taken from {@code pooledStd}: the
   * seed-to-seed spread the round's confirmed trials measured ({@link #pooledStd}), which one
   * replicate cannot show of itself.
   */
  public double standardError(double pooledStd) {
    return n >= 2 ? standardError() : pooledStd / Math.sqrt(Math.max(1, n));
  }

  /**
   * The standard error of the difference of two trials' means, a single replicate's spread taken
   * from {@code pooledStd} ({@link #standardError(double)}): what the tie and within-noise rules
   * compare a gap with.
   */
  public static double combinedStandardError(TrialResult a, TrialResult b, double pooledStd) {
    double x = a.standardError(pooledStd);
    double y = b.standardError(pooledStd);
    return Math.sqrt(x * x + y * y);
  }

  /**
   * The pooled sample standard deviation of the trials with two or more replicates ({@code
   * sqrt(sum((n - 1) std^2) / sum(n - 1))}): the spread between seeds (or shards) of one
   * configuration, measured on the trials that have replicates; 0 when none has.
   */
  public static double pooledStd(List<TrialResult> results) {
    double ss = 0;
    int df = 0;
    for (TrialResult r : results) {
      if (r.status == Status.OK && r.n >= 2) {
        ss += (r.n - 1) * r.std * r.std;
        df += r.n - 1;
      }
    }
    return df == 0 ? 0 : Math.sqrt(ss / df);
  }

  /** Best first; ties broken by trial number so that rankings are deterministic. */
  public static final Comparator<TrialResult> BEST_FIRST =
      Comparator.comparingDouble(TrialResult::score)
          .reversed()
          .thenComparingInt(r -> r.trial().number());
}
