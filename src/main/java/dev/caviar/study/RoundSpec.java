package dev.caviar.study;

import java.io.Serializable;

/**
 * One round of the schedule.
 *
 * @param trials trials in the round, carried-over ones included
 * @param epochs the fidelity: epochs each trial trains
 */
public record RoundSpec(int trials, int epochs) implements Serializable {
  public RoundSpec {
    if (!(trials >= 1)) {
      throw new IllegalArgumentException("trials: must be >= 1, got " + trials);
    }
    if (!(epochs >= 1)) {
      throw new IllegalArgumentException("epochs: must be >= 1, got " + epochs);
    }
  }
}
