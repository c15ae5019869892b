package dev.caviar.report;

import dev.caviar.study.Status;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * One line about a round, the same in {@code caviar show} and the report: how many trials ran,
 * diverged, failed, were stopped early or were carried, and the best and median score of the OK
 * ones.
 *
 * @param replicates the replicates each trial ran: {@code "1"}, or with a confirmation ({@code
 *     study.rounds[].confirm}) {@code "1, 4 confirmed: 3"}
 * @param best the best mean of an OK trial, NaN when none finished
 * @param median the median mean of the OK trials (the middle pair averaged), NaN when none
 */
public record RoundSummary(
    int round,
    int epochs,
    int trials,
    int carried,
    int diverged,
    int failed,
    int stopped,
    String replicates,
    double best,
    double median) {

  /** The summary of one round's trials; {@code epochs} as its region file records them. */
  public static RoundSummary of(int round, int epochs, List<TrialRecord> trials) {
    List<TrialRecord> ok = bestFirst(trials);
    int diverged = (int) trials.stream().filter(t -> t.status() == Status.DIVERGED).count();
    int failed = (int) trials.stream().filter(t -> t.status() == Status.FAILED).count();
    int stopped = (int) trials.stream().filter(t -> t.status() == Status.STOPPED).count();
    int carried = (int) trials.stream().filter(t -> t.carriedFrom() >= 0).count();
    int[] ran = trials.stream().mapToInt(t -> t.n() + t.diverged() + t.failed()).toArray();
    int fewest = Arrays.stream(ran).min().orElse(0);
    int most = Arrays.stream(ran).max().orElse(0);
    long confirmed = Arrays.stream(ran).filter(n -> n == most).count();
    String replicates =
        fewest == most ? Integer.toString(most) : fewest + ", " + confirmed + " confirmed: " + most;
    return new RoundSummary(
        round,
        epochs,
        trials.size(),
        carried,
        diverged,
        failed,
        stopped,
        replicates,
        ok.isEmpty() ? Double.NaN : ok.get(0).mean(),
        median(ok));
  }

  /** The OK trials, best first (highest accuracy or lowest loss). */
  public static List<TrialRecord> bestFirst(List<TrialRecord> trials) {
    Comparator<TrialRecord> byMean = Comparator.comparingDouble(TrialRecord::mean);
    boolean higher = trials.isEmpty() || trials.get(0).higherIsBetter();
    return trials.stream()
        .filter(TrialRecord::ok)
        .sorted(higher ? byMean.reversed() : byMean)
        .toList();
  }

  /** The median of sorted trials' means; the middle pair averaged for an even count. */
  static double median(List<TrialRecord> sorted) {
    int n = sorted.size();
    if (n == 0) {
      return Double.NaN;
    }
    return n % 2 == 1
        ? sorted.get(n / 2).mean()
        : (sorted.get(n / 2 - 1).mean() + sorted.get(n / 2).mean()) / 2;
  }
}
