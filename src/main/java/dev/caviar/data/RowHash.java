package dev.caviar.data;

/**
 * Per-row decisions (test split, shard, validation) as pure functions of a seed and the row id, so
 * they do not depend on partitioning, scheduling or retries.
 */
final class RowHash {
  private RowHash() {}

  /** SplitMix64's finaliser applied to a combination of both inputs (Steele et al., 2014). */
  static long mix(long seed, long value) {
    long z = seed + 0x9E3779B97F4A7C15L * (value + 1);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** A uniform double in [0, 1) drawn from (seed, id). */
  static double uniform(long seed, long id) {
    return (mix(seed, id) >>> 11) * 0x1.0p-53;
  }

  /** True for a share {@code fraction} of the ids, the same ones for the same seed. */
  static boolean below(long seed, long id, double fraction) {
    return uniform(seed, id) < fraction;
  }

  /** The shard of a row, uniform over {@code 0..shards-1}. */
  static int shard(long seed, long id, int shards) {
    return (int) Math.floorMod(mix(seed, id), (long) shards);
  }
}
