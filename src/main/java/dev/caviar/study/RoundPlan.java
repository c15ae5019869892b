package dev.caviar.study;

import java.io.Serializable;

/**
 * What a runner needs to know about the round it runs.
 *
 * @param round the round index, from 0
 * @param roundCount the number of rounds in the study
 * @param epochs the fidelity of this round
 * @param studySeed the study seed, for runners that derive their own seeds (shard assignment)
 * @param confirm which of the round's best trials train more replicates once it has ended
 */
public record RoundPlan(int round, int roundCount, int epochs, long studySeed, Confirm confirm)
    implements Serializable {
  /** A round that confirms nothing. */
  public RoundPlan(int round, int roundCount, int epochs, long studySeed) {
    this(round, roundCount, epochs, studySeed, Confirm.NONE);
  }

  public RoundPlan {
    if (!(round >= 0 && round < roundCount)) {
      throw new IllegalArgumentException(
          "plan.round: must be in [0, " + roundCount + "), got " + round);
    }
    if (!(epochs >= 1)) {
      throw new IllegalArgumentException("plan.epochs: must be >= 1, got " + epochs);
    }
    if (confirm == null) {
      throw new IllegalArgumentException("plan.confirm: is required (Confirm.NONE for none)");
    }
  }

  public boolean isLast() {
    return round == roundCount - 1;
  }
}
