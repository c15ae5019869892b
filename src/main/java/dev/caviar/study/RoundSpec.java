package dev.caviar.study;

import java.io.Serializable;

/**
 * One round of the schedule.
 *
 * @param trials trials in the round, carried-over ones included
 * @param epochs the fidelity: epochs each trial trains
 * @param confirm which of the round's best trials train more replicates once it has ended ({@link
 *     Confirm#NONE}: none)
 */
public record RoundSpec(int trials, int epochs, Confirm confirm) implements Serializable {
  /** A round that confirms nothing. */
  public RoundSpec(int trials, int epochs) {
    this(trials, epochs, Confirm.NONE);
  }

  public RoundSpec {
    if (!(trials >= 1)) {
      throw new IllegalArgumentException("trials: must be >= 1, got " + trials);
    }
    if (!(epochs >= 1)) {
      throw new IllegalArgumentException("epochs: must be >= 1, got " + epochs);
    }
    if (confirm == null) {
      throw new IllegalArgumentException("confirm: is required (Confirm.NONE for none)");
    }
    if (!(confirm.top() <= trials)) {
      throw new IllegalArgumentException(
          "confirm.top: must be <= the round's trials (" + trials + "), got " + confirm.top());
    }
  }
}
