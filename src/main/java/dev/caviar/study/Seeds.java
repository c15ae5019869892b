package dev.caviar.study;

import java.nio.charset.StandardCharsets;

/**
 * Seeds are derived, not carried: every draw's seed is a pure function of (study seed, purpose,
 * round, trial, shard), so a study gives the same trials and scores whatever the scheduling, a task
 * retry or a resume.
 */
public final class Seeds {
  private Seeds() {}

  /** SplitMix64's finaliser: a bijective avalanche mix of 64 bits. */
  public static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  /** Mixes one more field into a running seed. */
  public static long combine(long seed, long field) {
    return mix(seed + 0x9e3779b97f4a7c15L * (field + 1) + mix(field));
  }

  public static long derive(long studySeed, Purpose purpose, int round, int trial, int shard) {
    if (purpose == null) {
      throw new IllegalArgumentException("purpose: is required");
    }
    long s = mix(studySeed);
    s = combine(s, purpose.ordinal() + 1L);
    s = combine(s, round);
    s = combine(s, trial);
    return combine(s, shard);
  }

  /**
   * A seed for a named stream (one per parameter), stable across JVMs: FNV-1a over the UTF-8 name,
   * mixed with the base seed. Adding a parameter does not move any other parameter's stream.
   */
  public static long named(long seed, String name) {
    long h = 0xcbf29ce484222325L;
    for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
      h = (h ^ (b & 0xff)) * 0x100000001b3L;
    }
    return combine(seed, h);
  }
}
