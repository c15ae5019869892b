package dev.caviar.study;

import java.io.Serializable;

/**
 * What a runner needs to know about the round it runs.
 *
 * @param round the round index, from 0
 * @param roundCount the number of rounds in the study
 * @param epochs the fidelity of this round
 * @param studySeed the study seed, for runners that derive their own seeds (shard assignment)
 */
public record RoundPlan(int round, int roundCount, int epochs, long studySeed)
    implements Serializable {
  public RoundPlan {
    if (!(round >= 0 && round < roundCount)) {
      throw new IllegalArgumentException(
          "plan.round: must be in [0, " + roundCount + "), got " + round);
    }
    if (!(epochs >= 1)) {
      throw new IllegalArgumentException("plan.epochs: must be >= 1, got " + epochs);
    }
  }

  public boolean isLast() {
    return round == roundCount - 1;
  }
}
