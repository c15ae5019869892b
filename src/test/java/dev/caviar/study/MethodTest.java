package dev.caviar.study;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.caviar.space.Domain;
import dev.caviar.space.Parameter;
import dev.caviar.space.SearchSpace;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The search method itself, on cheap analytic objectives: no network needed. */
class MethodTest {

  private static final int SEEDS = 100;

  private static double bestLoss(Study s) {
    return s.history().stream()
        .flatMap(r -> r.results().stream())
        .filter(r -> r.status() == Status.OK)
        .mapToDouble(TrialResult::mean)
        .min()
        .orElseThrow();
  }

  private static StudySettings settings(long seed, List<RoundSpec> rounds) {
    return new StudySettings(
        "method",
        seed,
        rounds,
        0.1,
        0.1,
        2,
        Objective.LOSS,
        10,
        "random",
        0.05,
        2,
        Stopping.NONE,
        Carried.RESTART);
  }

  /**
   * (a) Only the learning rate matters; its optimum, 3e-3, sits between the grid's log-spaced
   * values as a real optimum usually does. A 5x5 grid tries 5 learning rates, random search 25.
   */
  @Test
  void randomBeatsAGridWhenOnlyOneOfTwoParametersMatters() {
    SearchSpace space =
        SearchSpace.of(
            new Parameter("learningRate", new Domain.Log(1e-5, 1e-1)),
            new Parameter("l2", new Domain.Log(1e-6, 1e-2)));
    FunctionRunner runner =
        new FunctionRunner(
            Objective.LOSS,
            1,
            (t, shard, rng) -> Math.pow(Math.log10(t.doubleParam("learningRate") / 3e-3), 2));
    List<RoundSpec> oneRound = List.of(new RoundSpec(25, 1));
    int wins = 0;
    for (long seed = 0; seed < SEEDS; seed++) {
      double random = bestLoss(Study.create(settings(seed, oneRound), space).run(runner));
      double grid =
          bestLoss(Study.create(settings(seed, oneRound), space, new GridSampler(5)).run(runner));
      if (random < grid) {
        wins++;
      }
    }
    assertTrue(wins >= 90, "random beat the grid in " + wins + " of " + SEEDS + " seeds");
  }

  /** (b) A valley in three log-scaled parameters, of unequal steepness: zooming in pays. */
  @Test
  void coarseToFineBeatsOneRoundOfRandomSearchAtEqualBudget() {
    SearchSpace space =
        SearchSpace.of(
            new Parameter("learningRate", new Domain.Log(1e-6, 1)),
            new Parameter("l2", new Domain.Log(1e-8, 1e-1)),
            new Parameter("beta1", new Domain.OneMinusLog(0.5, 0.9999)));
    FunctionRunner runner =
        new FunctionRunner(
            Objective.LOSS,
            1,
            (t, shard, rng) -> {
              double a = Math.log10(t.doubleParam("learningRate")) + 2.7;
              double b = Math.log10(t.doubleParam("l2")) + 4.3;
              double c = -Math.log10(1 - t.doubleParam("beta1")) - 2.2;
              return 4 * a * a + b * b + c * c;
            });
    List<RoundSpec> coarseToFine =
        List.of(new RoundSpec(16, 1), new RoundSpec(16, 2), new RoundSpec(16, 4));
    List<RoundSpec> oneRound = List.of(new RoundSpec(48, 4));
    int wins = 0;
    for (long seed = 0; seed < SEEDS; seed++) {
      double c2f = bestLoss(Study.create(settings(seed, coarseToFine), space).run(runner));
      double flat = bestLoss(Study.create(settings(seed, oneRound), space).run(runner));
      if (c2f < flat) {
        wins++;
      }
    }
    assertTrue(wins >= 80, "coarse-to-fine won in " + wins + " of " + SEEDS + " seeds");
  }

  /** (c) The optimum (1e-2) lies above the initial range [1e-6, 1e-4]. */
  @Test
  void theBoundaryRuleMovesTheRangeTowardAnOptimumOutsideIt() {
    SearchSpace space = SearchSpace.of(new Parameter("learningRate", new Domain.Log(1e-6, 1e-4)));
    FunctionRunner runner =
        new FunctionRunner(
            Objective.LOSS,
            1,
            (t, shard, rng) -> Math.pow(Math.log10(t.doubleParam("learningRate")) + 2, 2));
    List<RoundSpec> rounds =
        List.of(new RoundSpec(16, 1), new RoundSpec(16, 1), new RoundSpec(16, 1));
    int moved = 0;
    for (long seed = 0; seed < SEEDS; seed++) {
      Study s = Study.create(settings(seed, rounds), space).run(runner);
      Domain.Log last = (Domain.Log) s.region().domain("learningRate");
      boolean flagged =
          s.history().stream()
              .flatMap(r -> r.narrowing().stream())
              .anyMatch(r -> r.rule() == NarrowingRecord.Rule.WIDENED_HIGH);
      if (flagged && last.high() > 3e-4 && bestLoss(s) < Math.pow(-4 + 2, 2)) {
        moved++;
      }
    }
    assertTrue(moved >= 90, "moved toward the optimum in " + moved + " of " + SEEDS + " seeds");
  }
}
