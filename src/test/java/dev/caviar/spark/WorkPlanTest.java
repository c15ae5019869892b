package dev.caviar.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class WorkPlanTest {

  @Test
  void everyPairOnceAndReplicasOnDistinctShards() {
    SplittableRandom rng = new SplittableRandom(7);
    for (int rep = 0; rep < 200; rep++) {
      int trials = 1 + rng.nextInt(40);
      int shards = 1 + rng.nextInt(8);
      int replicas = 1 + rng.nextInt(shards);
      double[] costs = rng.doubles(trials, 0.1, 10).toArray();
      WorkPlan plan = WorkPlan.balance(costs, replicas, shards, true);
      assertEquals(shards, plan.tasks().size());
      assertEquals(trials * replicas, plan.pairCount());
      Set<WorkPlan.Pair> seen = new HashSet<>();
      for (List<WorkPlan.Pair> task : plan.tasks()) {
        Set<Integer> trialsHere = new HashSet<>();
        for (WorkPlan.Pair p : task) {
          assertTrue(seen.add(p), "pair twice: " + p);
          assertTrue(
              trialsHere.add(p.trial()), "two replicas of trial " + p.trial() + " on one shard");
        }
      }
    }
  }

  @Test
  void loadsAreBalancedWithinTheLargestJob() {
    SplittableRandom rng = new SplittableRandom(11);
    double[] costs = rng.doubles(48, 1, 8).toArray();
    WorkPlan plan = WorkPlan.balance(costs, 2, 8, true);
    double max = 0;
    double min = Double.MAX_VALUE;
    for (List<WorkPlan.Pair> task : plan.tasks()) {
      double load = task.stream().mapToDouble(p -> costs[p.trial()]).sum();
      max = Math.max(max, load);
      min = Math.min(min, load);
    }
    // LPT: no task exceeds another by more than one job's cost.
    assertTrue(max - min <= 8, "loads " + min + ".." + max);
  }

  @Test
  void thePlanIsAPureFunctionOfItsInputs() {
    double[] costs = {3, 1, 3, 2, 5, 5};
    assertEquals(WorkPlan.balance(costs, 2, 3, true), WorkPlan.balance(costs.clone(), 2, 3, true));
  }

  @Test
  void moreReplicasThanShardsIsAnError() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> WorkPlan.balance(new double[] {1}, 3, 2, true));
    assertTrue(e.getMessage().contains("execution.replicas"), e.getMessage());
    assertTrue(e.getMessage().contains("got 3"), e.getMessage());
  }

  @Test
  void aConfirmationTrainsTheNextSeedsCostliestFirstOrTheUnusedShardsLeastLoadedFirst() {
    // Round trials 10, 11, 12 (indices 0, 1, 2); trial 12 is the costliest.
    List<Integer> trials = List.of(10, 11, 12);
    double[] costs = {1, 2, 5};
    List<dev.caviar.study.Confirm.Need> needs =
        List.of(
            new dev.caviar.study.Confirm.Need(11, Set.of(0), 2),
            new dev.caviar.study.Confirm.Need(12, Set.of(0, 1), 1));
    // Broadcast: one task per new seed, the costliest trial's first.
    WorkPlan seeds = WorkPlan.confirmation(needs, trials, costs, 0, false);
    assertEquals(
        List.of(
            List.of(new WorkPlan.Pair(2, 2)),
            List.of(new WorkPlan.Pair(1, 1)),
            List.of(new WorkPlan.Pair(1, 2))),
        seeds.tasks());
    // Sharded, 4 shards: trial 11 (on shard 0) takes shards 1 and 2; trial 12 (on 0 and 1) the
    // least loaded of 2 and 3: 3.
    WorkPlan shards = WorkPlan.confirmation(needs, trials, costs, 4, true);
    assertEquals(
        List.of(
            List.of(),
            List.of(new WorkPlan.Pair(1, 1)),
            List.of(new WorkPlan.Pair(1, 2)),
            List.of(new WorkPlan.Pair(2, 3))),
        shards.tasks());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> WorkPlan.confirmation(needs, trials, costs, 2, true));
    assertEquals(
        "confirm.replicates: trial 11 needs 2 more shards but has trained on 1 of the 2",
        e.getMessage());
  }
}
