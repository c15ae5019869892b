package dev.caviar.study;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Within-round early stopping by successive halving: at each checkpoint (a share of the round's
 * epochs) every trial still training is ranked by its validation score at that epoch, the best
 * {@code keep} share trains on and the rest are STOPPED with their checkpoint score. The decision
 * depends only on scores at the same epoch, never on timing or arrival order, so a round stops the
 * same trials on one core or a thousand.
 *
 * @param rule NONE (every trial trains its round's epochs) or HALVING
 * @param at the checkpoints, as shares in (0, 1) of a round's epochs, increasing
 * @param keep the share in (0, 1) of the trials at a checkpoint that train on (at least one)
 * @param minEpochs the shortest round that stops trials: a checkpoint early in a short round ranks
 *     on too little training to predict the end (on Fashion-MNIST, the ranking after 1 or 2 of 4
 *     epochs kept one of the final top three; after 5 of 30 it kept the winner)
 */
public record Stopping(Rule rule, List<Double> at, double keep, int minEpochs)
    implements Serializable {

  /** How a round stops trials early. */
  public enum Rule {
    NONE,
    HALVING;

    public String configName() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Rule parse(String key, String text) {
      for (Rule r : values()) {
        if (r.configName().equals(text)) {
          return r;
        }
      }
      throw new IllegalArgumentException(key + ": must be none or halving, got '" + text + "'");
    }
  }

  /** No early stopping: the default. */
  public static final Stopping NONE = new Stopping(Rule.NONE, List.of(0.34), 0.5, 1);

  public Stopping {
    if (rule == null) {
      throw new IllegalArgumentException("study.stopping.rule: is required");
    }
    if (at == null || at.isEmpty()) {
      throw new IllegalArgumentException(
          "study.stopping.at: must list at least one share of the epochs, got []");
    }
    at = List.copyOf(at);
    for (int i = 0; i < at.size(); i++) {
      double a = at.get(i);
      if (!(a > 0 && a < 1)) {
        throw new IllegalArgumentException(
            "study.stopping.at[" + i + "]: must be in (0, 1), got " + a);
      }
      if (i > 0 && !(a > at.get(i - 1))) {
        throw new IllegalArgumentException(
            "study.stopping.at["
                + i
                + "]: must be greater than the one before ("
                + at.get(i - 1)
                + "), got "
                + a);
      }
    }
    if (!(keep > 0 && keep < 1)) {
      throw new IllegalArgumentException("study.stopping.keep: must be in (0, 1), got " + keep);
    }
    if (!(minEpochs >= 1)) {
      throw new IllegalArgumentException(
          "study.stopping.minEpochs: must be >= 1, got " + minEpochs);
    }
  }

  /**
   * The epochs (from 1) after which a round of {@code epochs} ranks its trials: each share of
   * {@code at} rounded, kept within [1, epochs - 1], duplicates dropped; empty without a rule, for
   * a round shorter than {@code minEpochs}, or when the round is too short to stop anything.
   */
  public List<Integer> checkpoints(int epochs) {
    if (rule == Rule.NONE || epochs < minEpochs) {
      return List.of();
    }
    Set<Integer> out = new TreeSet<>();
    for (double a : at) {
      int e = (int) Math.round(a * epochs);
      if (e >= 1 && e <= epochs - 1) {
        out.add(e);
      }
    }
    return List.copyOf(out);
  }

  /**
   * Splits the replicates of the trials that reached a checkpoint into those that train on and
   * those stopped there. Each trial's replicates are aggregated; the OK trials are ranked best
   * first (ties by trial number); the first {@code ceil(keep x n)} train on, {@code n} counting
   * every trial that entered the checkpoint (at least one OK trial trains on). A DIVERGED or FAILED
   * replicate is final and goes to {@link Decision#finished}; the other replicates of a stopped
   * trial become STOPPED, with the rule and the figures in their reason.
   *
   * @param trials the round's trials, by number
   * @param scores every replicate of the trials still training, at {@code epoch}
   */
  public Decision decide(
      int epoch, Map<Integer, Trial> trials, List<ReplicateScore> scores, Objective objective) {
    Map<Integer, List<ReplicateScore>> byTrial = new TreeMap<>();
    for (ReplicateScore r : scores) {
      byTrial.computeIfAbsent(r.trial(), t -> new ArrayList<>()).add(r);
    }
    List<TrialResult> ranked = new ArrayList<>();
    for (Map.Entry<Integer, List<ReplicateScore>> e : byTrial.entrySet()) {
      TrialResult result = TrialResult.aggregate(trials.get(e.getKey()), e.getValue(), objective);
      if (result.status() == Status.OK) {
        ranked.add(result);
      }
    }
    ranked.sort(TrialResult.BEST_FIRST);
    int entered = byTrial.size();
    int kept = Math.min(ranked.size(), Math.max(1, (int) Math.ceil(keep * entered - 1e-9)));
    Set<Integer> goOn = new TreeSet<>();
    for (int i = 0; i < kept; i++) {
      goOn.add(ranked.get(i).trial().number());
    }
    double bar = kept == 0 ? Double.NaN : ranked.get(kept - 1).mean();
    List<ReplicateScore> finished = new ArrayList<>();
    List<ReplicateScore> training = new ArrayList<>();
    for (ReplicateScore r : scores) {
      if (r.status() != Status.OK) {
        finished.add(r);
      } else if (goOn.contains(r.trial())) {
        training.add(r);
      } else {
        int rank = 0;
        double mean = Double.NaN;
        for (int i = 0; i < ranked.size(); i++) {
          if (ranked.get(i).trial().number() == r.trial()) {
            rank = i + 1;
            mean = ranked.get(i).mean();
          }
        }
        finished.add(
            r.stopped(
                String.format(
                    Locale.ROOT,
                    "stopped at epoch %d by successive halving: %s %.4f ranked %d of %d, the"
                        + " best %d went on (the last of them at %.4f)",
                    epoch,
                    objective.configName(),
                    mean,
                    rank,
                    entered,
                    kept,
                    bar)));
      }
    }
    return new Decision(goOn, training, finished);
  }

  /**
   * What a checkpoint decided.
   *
   * @param goOn the trials that train on
   * @param training their replicates' scores at the checkpoint
   * @param finished replicates that end here: STOPPED ones and those that diverged or failed
   */
  public record Decision(
      Set<Integer> goOn, List<ReplicateScore> training, List<ReplicateScore> finished) {}
}
