package dev.caviar.study;

import dev.caviar.space.ConfigName;

/**
 * What a trial carried into the next round ({@code study.carry}) trains from: {@code
 * study.carried}.
 */
public enum Carried implements ConfigName {
  /**
   * A new seed, trained from scratch for the new round's epochs: an independent second look at the
   * configuration.
   */
  RESTART,
  /**
   * The carried trial keeps its seed and its network goes on from where the previous round left it
   * (weights, optimizer moments, batch-norm statistics, generators and learning-rate schedule), to
   * the new round's epochs: the epochs it already trained are not paid again. Bit for bit the
   * network a run started from that seed reaches, so a run that is not held any more (another
   * executor, a resume, an eviction) is trained again from its seed.
   */
  CONTINUE;

  public static Carried parse(String key, String name) {
    return ConfigName.parse(Carried.class, key, name);
  }
}
