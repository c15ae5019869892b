package dev.caviar.job;

import dev.caviar.config.ExecutionSpec.Layout;
import dev.caviar.data.LoadedData;
import dev.caviar.spark.SparkStudy;
import dev.caviar.study.CrossFitEstimate;
import dev.caviar.study.NarrowingRecord;
import dev.caviar.study.ReplicateScore;
import dev.caviar.study.RoundPlan;
import dev.caviar.study.RoundRecord;
import dev.caviar.study.Status;
import dev.caviar.study.Trial;
import dev.caviar.study.TrialResult;
import java.io.PrintWriter;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a person (or a pipeline's log) sees while a study runs. On a terminal the round's line
 * updates in place; otherwise a plain line at most every ten seconds and at the end of the round.
 */
final class ConsoleProgress implements SparkStudy.Listener {
  private final PrintWriter out;
  private final boolean terminal;
  private long roundStart;
  private long lastLine;
  private double best = Double.NaN;
  private int diverged;
  private int stopped;
  private int trialCount;
  // The replicates a trial trains in the round before any confirmation; 0 until the first arrive.
  private int perTrial;
  private int trialsDone;
  private final Map<Integer, Integer> arrivedPerTrial = new HashMap<>();
  private long epochsArrived;
  private int checkpoint;

  ConsoleProgress(PrintWriter out) {
    this(out, System.console() != null);
  }

  ConsoleProgress(PrintWriter out, boolean terminal) {
    this.out = out;
    this.terminal = terminal;
  }

  @Override
  public void alreadyFinished(String directory) {
    out.printf(
        Locale.ROOT,
        "%s: the study already finished; nothing to resume (its results are unchanged)%n",
        directory);
    out.flush();
  }

  @Override
  public void started(LoadedData data, Layout layout, int resumedRounds) {
    out.printf(
        Locale.ROOT,
        "data: %s — %,d training rows (%,d for validation), %,d test rows, %d features,"
            + " %d classes; layout %s%n",
        data.source(),
        data.trainingRows(),
        data.validationRows(),
        data.testRows(),
        data.width(),
        data.classes(),
        layout.name().toLowerCase(Locale.ROOT));
    if (resumedRounds > 0) {
      out.printf(Locale.ROOT, "resumed after %d complete round(s)%n", resumedRounds);
    }
    out.flush();
  }

  @Override
  public void roundStarted(RoundPlan plan, List<Trial> trials) {
    roundStart = System.nanoTime();
    lastLine = roundStart;
    best = Double.NaN;
    diverged = 0;
    stopped = 0;
    trialCount = trials.size();
    trialsDone = 0;
    arrivedPerTrial.clear();
    epochsArrived = 0;
    checkpoint = 0;
    long carried = trials.stream().filter(t -> t.carriedFrom() >= 0).count();
    perTrial = 0;
    out.printf(
        Locale.ROOT,
        "round %d/%d: %d trials (%d carried over) x %d epoch(s)%s%n",
        plan.round() + 1,
        plan.roundCount(),
        trials.size(),
        carried,
        plan.epochs(),
        plan.confirm().active()
            ? String.format(
                Locale.ROOT,
                "; then its best %d trial(s) train to %d replicates each (confirm)",
                plan.confirm().top(),
                plan.confirm().replicates())
            : "");
    out.flush();
  }

  @Override
  public void finalStarted(String what) {
    out.printf(Locale.ROOT, "final model: %s%n", what);
    out.flush();
  }

  /**
   * The time a round has left, from the epochs trained so far: the arrived trainings' epochs, and
   * the {@code checkpoint} epochs that every training still going has passed when trials stopped
   * there (a round with early stopping); the ones still going train to {@code epochs}. Counting
   * trainings instead would take the stopped ones' few epochs for whole trainings.
   *
   * @return NaN before anything arrived
   */
  static double secondsLeft(
      double elapsed, int epochs, int pending, long epochsArrived, int checkpoint) {
    double done = epochsArrived + (double) pending * checkpoint;
    return done <= 0 ? Double.NaN : elapsed / done * pending * Math.max(0, epochs - checkpoint);
  }

  @Override
  public void taskDone(
      RoundPlan plan, int pairsDone, int pairsTotal, List<ReplicateScore> arrived) {
    // Every trial trains on the same number of shards, so a trial is done when all of its arrive;
    // a confirmation (which adds to the total) only trains more of trials already done.
    if (perTrial == 0) {
      perTrial = Math.max(1, pairsTotal / Math.max(1, trialCount));
    }
    for (ReplicateScore s : arrived) {
      if (arrivedPerTrial.merge(s.trial(), 1, Integer::sum) == perTrial) {
        trialsDone++;
      }
      epochsArrived += s.epochsRun();
      if (s.status() == Status.STOPPED) {
        checkpoint = Math.max(checkpoint, s.epochsRun());
      }
      if (s.status() == Status.OK) {
        best = Double.isNaN(best) ? s.validationAccuracy() : Math.max(best, s.validationAccuracy());
      } else if (s.status() == Status.STOPPED) {
        stopped++;
      } else {
        diverged++;
      }
    }
    long now = System.nanoTime();
    double elapsed = (now - roundStart) / 1e9;
    double eta =
        secondsLeft(elapsed, plan.epochs(), pairsTotal - pairsDone, epochsArrived, checkpoint);
    String line =
        String.format(
            Locale.ROOT,
            "  round %d: %d/%d trials (%d/%d trainings), best validation accuracy %s,"
                + " %d diverged/failed%s, %.0fs elapsed, ~%.0fs left",
            plan.round() + 1,
            trialsDone,
            trialCount,
            pairsDone,
            pairsTotal,
            Double.isNaN(best) ? "-" : String.format(Locale.ROOT, "%.4f", best),
            diverged,
            stopped == 0 ? "" : ", " + stopped + " stopped early",
            elapsed,
            eta);
    if (terminal) {
      out.print("\r" + line + "   ");
      if (pairsDone == pairsTotal) {
        out.println();
      }
      out.flush();
    } else if (pairsDone == pairsTotal || now - lastLine > 10_000_000_000L) {
      lastLine = now;
      out.println(line);
      out.flush();
    }
  }

  @Override
  public void roundFinished(RoundRecord round, long nanos, String path) {
    TrialResult top =
        round.results().stream()
            .filter(r -> r.status() == Status.OK)
            .sorted(TrialResult.BEST_FIRST)
            .findFirst()
            .orElse(null);
    out.printf(
        Locale.ROOT,
        "round %d done in %.1fs: best %s; written to %s%n",
        round.round() + 1,
        nanos / 1e9,
        top == null
            ? "none (every trial diverged or failed)"
            : String.format(
                Locale.ROOT,
                "trial %d, %s %.4f ± %.4f %s",
                top.trial().number(),
                top.objective().configName(),
                top.mean(),
                top.std(),
                top.trial().params()),
        path);
    for (NarrowingRecord n : round.narrowing()) {
      if (n.rule() != NarrowingRecord.Rule.UNCHANGED) {
        out.printf(
            Locale.ROOT,
            "  %-13s %s -> %s (%s)%n",
            n.parameter(),
            n.oldRange().describe(),
            n.newRange().describe(),
            n.rule().name().toLowerCase(Locale.ROOT).replace('_', ' '));
      }
    }
    out.flush();
  }

  static void printOutcome(PrintWriter out, SparkStudy.Outcome o) {
    TrialResult w = o.best().winner();
    out.printf(
        Locale.ROOT,
        "%nbest configuration: trial %d, validation %s %.4f ± %.4f over %d replicate(s)%n",
        w.trial().number(),
        w.objective().configName(),
        w.mean(),
        w.std(),
        w.n());
    CrossFitEstimate.of(o.study())
        .filter(CrossFitEstimate::corrects)
        .ifPresent(
            e ->
                out.printf(
                    Locale.ROOT,
                    "  corrected for selection %.4f (picked on one half of the validation rows,"
                        + " scored on the other; see best.json)%n",
                    e.estimate()));
    out.printf(Locale.ROOT, "  %s%n", w.trial().params());
    if (!o.best().ties().isEmpty()) {
      out.printf(
          Locale.ROOT,
          "  statistically tied with trial(s) %s%n",
          o.best().ties().stream().map(t -> t.trial().number()).toList());
    }
    out.printf(
        Locale.ROOT,
        "final model (trained on the executors, see best.json): test accuracy %.4f, test loss %.4f%n",
        o.testAccuracy(),
        o.testLoss());
    out.printf(Locale.ROOT, "results: %s (best.json, rounds/, model/)%n", o.directory());
    out.flush();
  }
}
