package dev.caviar.study;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/**
 * The winner's validation score corrected for its selection: a two-fold cross-fit of the last pick.
 * The winner is the best of many trials scored on the same validation rows, so its score is
 * optimistic (the winner's curse: the best of noisy means). Every replicate's validation rows were
 * also scored in two halves (even positions A, odd positions B, {@link dev.caviar.nn.HalfScores});
 * picking the best trial by half A and reading its score on half B, and the other way round, gives
 * what the winner's score would be had it not been chosen on the rows it is scored on. No training:
 * only the halves the rounds recorded.
 *
 * <p>It corrects the last pick only (the best of the last round's OK trials, as {@link
 * Study#best()} picks), not the narrowing of earlier rounds, which looked at every validation row.
 *
 * @param objective the metric, in whose units the scores are
 * @param estimate the mean of the two folds: {@code onB} and {@code onA}
 * @param pickedByA the trial ranked first on half A
 * @param onB that trial's score on half B
 * @param pickedByB the trial ranked first on half B
 * @param onA that trial's score on half A
 * @param pool the OK trials of the last round it ranked
 */
public record CrossFitEstimate(
    Objective objective,
    double estimate,
    int pickedByA,
    double onB,
    int pickedByB,
    double onA,
    int pool)
    implements Serializable {

  public CrossFitEstimate {
    if (objective == null) {
      throw new IllegalArgumentException("estimate.objective: is required");
    }
    if (!(pool >= 1)) {
      throw new IllegalArgumentException("estimate.pool: must be >= 1, got " + pool);
    }
  }

  /** The estimate for the last completed round of {@code study}; empty as {@link #of(List)}. */
  public static Optional<CrossFitEstimate> of(Study study) {
    List<RoundRecord> history = study.history();
    return history.isEmpty() ? Optional.empty() : of(history.get(history.size() - 1).results());
  }

  /**
   * The estimate over the OK trials of one round's {@code results} (STOPPED and failed ones are
   * left out, as {@link Study#best()} leaves them out). A trial's score on a half is the mean over
   * the replicates its mean counts; the ranking on a half is best first with ties to the lower
   * trial number, as {@link TrialResult#BEST_FIRST}. With one OK trial it is that trial's score on
   * each half, averaged: nothing was selected, nothing to correct.
   *
   * @return empty when no trial is OK or an OK trial's replicates lack their halves (a study
   *     written before they were recorded)
   */
  public static Optional<CrossFitEstimate> of(List<TrialResult> results) {
    List<Halves> pool = new ArrayList<>();
    for (TrialResult t : results) {
      if (t.status() != Status.OK) {
        continue;
      }
      Objective o = t.objective();
      Halves h = new Halves(t.trial().number(), o, mean(t, o::valueOnA), mean(t, o::valueOnB));
      if (!Double.isFinite(h.a) || !Double.isFinite(h.b)) {
        return Optional.empty();
      }
      pool.add(h);
    }
    if (pool.isEmpty()) {
      return Optional.empty();
    }
    Halves byA = pool.stream().min(bestFirst(h -> h.a)).orElseThrow();
    Halves byB = pool.stream().min(bestFirst(h -> h.b)).orElseThrow();
    return Optional.of(
        new CrossFitEstimate(
            byA.objective, (byA.b + byB.a) / 2, byA.trial, byA.b, byB.trial, byB.a, pool.size()));
  }

  /** Whether there was a pick to correct: at least two OK trials. */
  public boolean corrects() {
    return pool >= 2;
  }

  /** How the estimate was made, in one sentence of plain words. */
  public String method() {
    if (!corrects()) {
      return "the last round's only OK trial scored on each half of its validation rows, averaged:"
          + " no selection to correct";
    }
    return String.format(
        Locale.ROOT,
        "two-fold cross-fit over the last round's %d OK trials: pick by one half of the validation"
            + " rows, score on the other",
        pool);
  }

  private record Halves(int trial, Objective objective, double a, double b) {}

  // The replicates TrialResult.aggregate counts in an OK trial's mean: OK with a finite metric.
  private static double mean(TrialResult t, ToDoubleFunction<ReplicateScore> half) {
    double sum = 0;
    int n = 0;
    for (ReplicateScore r : t.replicates()) {
      if (r.status() == Status.OK && Double.isFinite(t.objective().value(r))) {
        sum += half.applyAsDouble(r);
        n++;
      }
    }
    return n == 0 ? Double.NaN : sum / n;
  }

  private static Comparator<Halves> bestFirst(ToDoubleFunction<Halves> half) {
    return Comparator.comparingDouble((Halves h) -> h.objective.score(half.applyAsDouble(h)))
        .reversed()
        .thenComparingInt(Halves::trial);
  }
}
