package dev.caviar.study;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Runs trials in memory through a cheap function of their parameters: for tests, notebooks and
 * benchmarks of the search method itself. A non-finite value is recorded as DIVERGED; an exception
 * as FAILED.
 */
public final class FunctionRunner implements TrialRunner {

  /** The metric of one replicate; {@code rng} is seeded from the replicate's training seed. */
  @FunctionalInterface
  public interface Evaluation {
    double apply(Trial trial, int shard, SplittableRandom rng);
  }

  private final Objective metric;
  private final int replicas;
  private final Evaluation evaluation;

  /**
   * @param metric whether {@code evaluation} returns an accuracy in [0, 1] or a loss
   * @param replicas replicates per trial (shards 0..replicas-1)
   */
  public FunctionRunner(Objective metric, int replicas, Evaluation evaluation) {
    if (metric == null || evaluation == null) {
      throw new IllegalArgumentException("runner: metric and evaluation are required");
    }
    if (!(replicas >= 1)) {
      throw new IllegalArgumentException("replicas: must be >= 1, got " + replicas);
    }
    this.metric = metric;
    this.replicas = replicas;
    this.evaluation = evaluation;
  }

  /**
   * Runs each trial's replicates (shards {@code 0..replicas-1}), then, when the round confirms its
   * leaders ({@link RoundPlan#confirm}), their next replicates.
   */
  @Override
  public List<ReplicateScore> run(RoundPlan plan, List<Trial> trials) {
    List<ReplicateScore> out = new ArrayList<>();
    for (Trial t : trials) {
      for (int shard = 0; shard < replicas; shard++) {
        out.add(one(t, shard));
      }
    }
    Map<Integer, Trial> byNumber = new HashMap<>();
    trials.forEach(t -> byNumber.put(t.number(), t));
    for (Confirm.Need need : plan.confirm().needs(trials, out, metric)) {
      for (int shard : need.nextCoordinates()) {
        out.add(one(byNumber.get(need.trial()), shard));
      }
    }
    return out;
  }

  private ReplicateScore one(Trial t, int shard) {
    long seed = t.seedFor(shard);
    long start = System.nanoTime();
    double v;
    try {
      v = evaluation.apply(t, shard, new SplittableRandom(seed));
    } catch (RuntimeException e) {
      return ReplicateScore.notOk(
          t.round(), t.number(), shard, seed, Status.FAILED, e.toString(), 0, null, 0);
    }
    long nanos = System.nanoTime() - start;
    if (!Double.isFinite(v)) {
      return ReplicateScore.notOk(
          t.round(),
          t.number(),
          shard,
          seed,
          Status.DIVERGED,
          "objective was " + v,
          0,
          null,
          nanos);
    }
    // The objective fills the metric's own column; the other stays NaN.
    boolean accuracy = metric == Objective.ACCURACY;
    return ReplicateScore.ok(
        t.round(),
        t.number(),
        shard,
        seed,
        accuracy ? v : Double.NaN,
        accuracy ? Double.NaN : v,
        Double.NaN,
        t.epochs(),
        null,
        nanos);
  }
}
