package dev.caviar.study;

import java.io.Serializable;
import java.util.List;

/**
 * The winner of the last completed round and the trials statistically tied with it: their mean is
 * within one combined standard error of the winner's, so the data cannot order them.
 */
public record Best(TrialResult winner, List<TrialResult> ties) implements Serializable {
  public Best {
    if (winner == null) {
      throw new IllegalArgumentException("best.winner: is required");
    }
    ties = List.copyOf(ties);
  }
}
