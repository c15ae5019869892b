package dev.caviar.study;

import java.util.List;

/**
 * The port through which a study trains its trials: the Spark runner on a cluster, {@link
 * FunctionRunner} in memory. A runner returns one score per (trial, replicate) it ran; a replicate
 * that diverges or fails is a score with that status, not an exception.
 */
public interface TrialRunner {
  List<ReplicateScore> run(RoundPlan plan, List<Trial> trials);
}
