package dev.caviar.study;

/** How a replicate or trial ended. Failures are results, not exceptions. */
public enum Status {
  OK,
  /** The loss became NaN or exploded; training stopped early. */
  DIVERGED,
  /** The replicate could not run (bad shard, exception in the trainer). */
  FAILED,
  /**
   * Early stopping ended the trial at an epoch checkpoint: it ranked below the round's kept share
   * there. Its scores are the checkpoint's, not comparable with the round's full-epoch scores.
   */
  STOPPED
}
