package dev.caviar.study;

/** How a replicate or trial ended. Failures are results, not exceptions. */
public enum Status {
  OK,
  /** The loss became NaN or exploded; training stopped early. */
  DIVERGED,
  /** The replicate could not run (bad shard, exception in the trainer). */
  FAILED
}
