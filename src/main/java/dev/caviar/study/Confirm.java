package dev.caviar.study;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A round's confirmation: once its trials have ended, its {@code top} best OK trials train more
 * replicates (more seeds in the broadcast layout, more shards in the sharded one) until each has
 * {@code replicates}, and are ranked on the mean. One replicate per trial cannot tell a lucky seed
 * from a good configuration, and paying several for every trial is the cost of that many rounds;
 * the leaders are the trials whose ranking the carry, the elite and the winner hang on. With their
 * spread known, the tie rule of {@link Study#best} and the within-noise rule of {@link Narrower}
 * can fire.
 *
 * <p>The pick depends only on the round's scores (ranked by {@link TrialResult#BEST_FIRST}), never
 * on timing, so the same trials are confirmed on one core or a thousand.
 *
 * @param top the best OK trials to confirm; 0 for none
 * @param replicates the replicates each confirmed trial ends with (>= 2 when {@code top > 0})
 */
public record Confirm(int top, int replicates) implements Serializable {

  /** No confirmation: the default. */
  public static final Confirm NONE = new Confirm(0, 1);

  public Confirm {
    if (!(top >= 0)) {
      throw new IllegalArgumentException("confirm.top: must be >= 0, got " + top);
    }
    if (top > 0 && !(replicates >= 2)) {
      throw new IllegalArgumentException(
          "confirm.replicates: must be >= 2 (the replicates a confirmed trial ends with), got "
              + replicates);
    }
  }

  public boolean active() {
    return top > 0;
  }

  /**
   * A trial to confirm.
   *
   * @param trial the trial's number
   * @param used the replicate coordinates it already trained (seeds or shards)
   * @param more how many more replicates it trains
   */
  public record Need(int trial, Set<Integer> used, int more) implements Serializable {
    public Need {
      used = Set.copyOf(used);
    }

    /**
     * The {@code more} lowest coordinates not in {@code used}: the next seeds of the broadcast
     * layout and of the in-memory runner, where a trial's replicates are numbered without limit.
     */
    public List<Integer> nextCoordinates() {
      List<Integer> out = new ArrayList<>();
      for (int c = 0; out.size() < more; c++) {
        if (!used.contains(c)) {
          out.add(c);
        }
      }
      return out;
    }
  }

  /**
   * The round's trials to confirm, best first: its {@code top} best OK trials with fewer than
   * {@code replicates} replicates. Empty when the rule is off.
   *
   * @param trials the round's trials
   * @param scores every replicate the round ended with (STOPPED ones included)
   */
  public List<Need> needs(List<Trial> trials, List<ReplicateScore> scores, Objective objective) {
    if (!active()) {
      return List.of();
    }
    Map<Integer, List<ReplicateScore>> byTrial = new HashMap<>();
    for (ReplicateScore s : scores) {
      byTrial.computeIfAbsent(s.trial(), k -> new ArrayList<>()).add(s);
    }
    List<TrialResult> ok = new ArrayList<>();
    for (Trial t : trials) {
      TrialResult r =
          TrialResult.aggregate(t, byTrial.getOrDefault(t.number(), List.of()), objective);
      if (r.status() == Status.OK) {
        ok.add(r);
      }
    }
    ok.sort(TrialResult.BEST_FIRST);
    List<Need> needs = new ArrayList<>();
    for (TrialResult r : ok.subList(0, Math.min(top, ok.size()))) {
      Set<Integer> used = new TreeSet<>();
      for (ReplicateScore s : r.replicates()) {
        used.add(s.shard());
      }
      if (used.size() < replicates) {
        needs.add(new Need(r.trial().number(), used, replicates - used.size()));
      }
    }
    return needs;
  }

  /** In words, for logs and the console. */
  public String describe() {
    return active()
        ? "the best " + top + " trial(s) confirmed with " + replicates + " replicates each"
        : "none";
  }
}
