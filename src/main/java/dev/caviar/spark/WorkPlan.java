package dev.caviar.spark;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

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

  private static boolean holds(List<Pair> task, int trial) {
    for (Pair p : task) {
      if (p.trial() == trial) {
        return true;
      }
    }
    return false;
  }
}
