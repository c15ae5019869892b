package dev.caviar.data;

import dev.caviar.study.Seeds;

/**
 * Per-row decisions (test split, shard, validation) as pure functions of a seed and the row id, so
 * they do not depend on partitioning, scheduling or retries.
 */
final class RowHash {
  private RowHash() {}

  /** The study's seed mixing (SplitMix64's finaliser), so one function makes every seed. */
  static long mix(long seed, long value) {
    return Seeds.combine(seed, value);
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
