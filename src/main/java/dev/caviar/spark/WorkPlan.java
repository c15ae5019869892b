package dev.caviar.spark;

import dev.caviar.study.Confirm;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which (trial, replica) pairs each Spark task trains, balanced by estimated cost.
 *
 * <p>Longest-processing-time first: pairs sorted by cost (largest first, ties by trial and replica,
 * so the plan is a pure function of its inputs) go to the least-loaded task that does not already
 * hold the same trial, which keeps a trial's replicas on distinct shards. LPT is within 4/3 of the
 * optimal makespan; with more tasks than cores, Spark's dynamic scheduling evens out what is left.
 */
public record WorkPlan(List<List<Pair>> tasks) implements java.io.Serializable {

  /** One training: trial {@code trial} (index in the round's list), replicate {@code replica}. */
  public record Pair(int trial, int replica) implements java.io.Serializable {}

  public WorkPlan {
    List<List<Pair>> copy = new ArrayList<>();
    for (List<Pair> t : tasks) {
      copy.add(List.copyOf(t));
    }
    tasks = Collections.unmodifiableList(copy);
  }

  public int pairCount() {
    return tasks.stream().mapToInt(List::size).sum();
  }

  /**
   * @param costs estimated cost of each trial (any unit; only ratios matter)
   * @param replicas replicas per trial, at most {@code taskCount} when {@code distinct}
   * @param taskCount number of tasks (shards in the sharded layout)
   * @param distinct whether a trial's replicas must land on distinct tasks (sharded layout)
   */
  public static WorkPlan balance(double[] costs, int replicas, int taskCount, boolean distinct) {
    if (taskCount < 1) {
      throw new IllegalArgumentException("taskCount: must be >= 1, got " + taskCount);
    }
    if (replicas < 1 || (distinct && replicas > taskCount)) {
      throw new IllegalArgumentException(
          "execution.replicas: must be in [1, " + taskCount + "], got " + replicas);
    }
    List<Pair> pairs = new ArrayList<>();
    for (int t = 0; t < costs.length; t++) {
      for (int r = 0; r < replicas; r++) {
        pairs.add(new Pair(t, r));
      }
    }
    pairs.sort(
        Comparator.comparingDouble((Pair p) -> -costs[p.trial()])
            .thenComparingInt(Pair::trial)
            .thenComparingInt(Pair::replica));
    List<List<Pair>> tasks = new ArrayList<>();
    double[] load = new double[taskCount];
    for (int i = 0; i < taskCount; i++) {
      tasks.add(new ArrayList<>());
    }
    for (Pair p : pairs) {
      int best = -1;
      for (int s = 0; s < taskCount; s++) {
        if (distinct && holds(tasks.get(s), p.trial())) {
          continue;
        }
        if (best < 0 || load[s] < load[best]) {
          best = s;
        }
      }
      tasks.get(best).add(p);
      load[best] += costs[p.trial()];
    }
    return new WorkPlan(tasks);
  }

  /**
   * The plan of a round's confirmation ({@link Confirm}): each trial's next replicates. Broadcast
   * layout ({@code sharded} false): its next seeds, one task each, costliest first so that Spark's
   * dynamic scheduling ends them together. Sharded layout: shards the trial has not trained on,
   * each replicate to the least-loaded of them (ties to the lowest shard), one task per shard. A
   * pure function of its inputs.
   *
   * @param needs the trials to confirm, best first
   * @param trials the round's trial numbers, in the round's order (a pair names a trial by index)
   * @param costs estimated cost of each trial, in the same order
   * @param shardCount the shards of the sharded layout (unused otherwise)
   * @throws IllegalArgumentException when a trial needs more replicates than it has unused shards
   */
  public static WorkPlan confirmation(
      List<Confirm.Need> needs,
      List<Integer> trials,
      double[] costs,
      int shardCount,
      boolean sharded) {
    List<List<Pair>> tasks = new ArrayList<>();
    if (!sharded) {
      List<Pair> pairs = new ArrayList<>();
      for (Confirm.Need n : needs) {
        int t = trials.indexOf(n.trial());
        for (int seed : n.nextCoordinates()) {
          pairs.add(new Pair(t, seed));
        }
      }
      pairs.sort(
          Comparator.comparingDouble((Pair p) -> -costs[p.trial()])
              .thenComparingInt(Pair::trial)
              .thenComparingInt(Pair::replica));
      pairs.forEach(p -> tasks.add(List.of(p)));
      return new WorkPlan(tasks);
    }
    double[] load = new double[shardCount];
    for (int s = 0; s < shardCount; s++) {
      tasks.add(new ArrayList<>());
    }
    for (Confirm.Need n : needs) {
      int t = trials.indexOf(n.trial());
      Set<Integer> used = new TreeSet<>(n.used());
      for (int k = 0; k < n.more(); k++) {
        int best = -1;
        for (int s = 0; s < shardCount; s++) {
          if (!used.contains(s) && (best < 0 || load[s] < load[best])) {
            best = s;
          }
        }
        if (best < 0) {
          throw new IllegalArgumentException(
              "confirm.replicates: trial "
                  + n.trial()
                  + " needs "
                  + n.more()
                  + " more shards but has trained on "
                  + n.used().size()
                  + " of the "
                  + shardCount);
        }
        used.add(best);
        tasks.get(best).add(new Pair(t, best));
        load[best] += costs[t];
      }
    }
    return new WorkPlan(tasks);
  }

  private static boolean holds(List<Pair> task, int trial) {
    for (Pair p : task) {
      if (p.trial() == trial) {
        return true;
      }
    }
    return false;
  }
}
