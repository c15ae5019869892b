package dev.caviar.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.caviar.space.Domain;
import dev.caviar.space.Parameter;
import dev.caviar.space.Region;
import dev.caviar.space.SearchSpace;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StudyRulesTest {

  static final SearchSpace SPACE = SearchSpace.of(new Parameter("x", new Domain.Linear(0, 10)));

  static Study study(RoundSpec... rounds) {
    return Study.create(StudySettings.of("t", 5, List.of(rounds)), SPACE, new RandomSampler());
  }

  /** {mean, std, n} per trial of the current round; a NaN mean makes the trial DIVERGED. */
  static List<TrialResult> results(List<Trial> trials, double[]... rows) {
    List<TrialResult> out = new ArrayList<>();
    for (int i = 0; i < trials.size(); i++) {
      double[] row = rows[i];
      Status s = Double.isNaN(row[0]) ? Status.DIVERGED : Status.OK;
      out.add(NarrowerTest.result(trials.get(i), s, row[0], row[1], (int) row[2]));
    }
    return out;
  }

  @Test
  void tiesWithTheWinnerAreTheTrialsWithinOneCombinedStandardError() {
    Study s = study(new RoundSpec(4, 1));
    List<Trial> ts = s.ask();
    // Standard errors 3/8 (0.75 / 2) and 4/8 (1 / 2) combine to exactly 5/8.
    s.tell(
        results(
            ts,
            new double[] {1.0, 0.75, 4},
            new double[] {0.375, 1.0, 4}, // exactly 5/8 behind: a tie
            new double[] {0.3, 1.0, 4}, // further: not
            new double[] {Double.NaN, 0, 1}));
    Best best = s.best().orElseThrow();
    assertEquals(ts.get(0).number(), best.winner().trial().number());
    assertEquals(1, best.ties().size());
    assertEquals(ts.get(1).number(), best.ties().get(0).trial().number());
  }

  @Test
  void aRoundWithoutOkTrialsHasNoBest() {
    Study s = study(new RoundSpec(2, 1));
    List<Trial> ts = s.ask();
    s.tell(results(ts, new double[] {Double.NaN, 0, 1}, new double[] {Double.NaN, 0, 1}));
    assertTrue(s.best().isEmpty());
  }

  @Test
  void onlyOkTrialsAreCarried() {
    Study s = study(new RoundSpec(3, 1), new RoundSpec(3, 2));
    List<Trial> ts = s.ask();
    s.tell(
        results(
            ts,
            new double[] {Double.NaN, 0, 1},
            new double[] {0.5, 0, 1},
            new double[] {Double.NaN, 0, 1}));
    List<Trial> next = s.ask();
    assertEquals(3, next.size());
    assertEquals(1, next.stream().filter(t -> t.carriedFrom() >= 0).count());
    assertEquals(ts.get(1).number(), next.get(0).carriedFrom());
  }

  @Test
  void aCarriedTrialKeepsItsSeedOnlyWhenItContinues() {
    List<RoundSpec> rounds = List.of(new RoundSpec(3, 1), new RoundSpec(3, 2));
    Map<Carried, List<Trial>> second = new EnumMap<>(Carried.class);
    List<Trial> first = null;
    for (Carried carried : Carried.values()) {
      Study s =
          Study.create(settings(rounds, 1, 10).withCarried(carried), SPACE, new RandomSampler());
      first = s.ask();
      s.tell(
          results(
              first, new double[] {0.4, 0, 1}, new double[] {0.6, 0, 1}, new double[] {0.5, 0, 1}));
      second.put(carried, s.ask());
    }
    Trial restarted = second.get(Carried.RESTART).get(0);
    Trial continued = second.get(Carried.CONTINUE).get(0);
    assertEquals(first.get(1).number(), continued.carriedFrom());
    assertEquals(2, continued.epochs());
    assertEquals(first.get(1).seed(), continued.seed(), "continued: the trial's own seed");
    assertNotEquals(first.get(1).seed(), restarted.seed(), "restarted: a seed of its own");
    // The fresh draws are the same trials with the same seeds either way.
    assertEquals(
        second.get(Carried.RESTART).subList(1, 3), second.get(Carried.CONTINUE).subList(1, 3));
  }

  @Test
  void continuingCarriedTrialsNeedsCheckpointsAfterTheirEpochs() {
    List<RoundSpec> rounds = List.of(new RoundSpec(4, 6), new RoundSpec(2, 20));
    Stopping early = new Stopping(Stopping.Rule.HALVING, List.of(0.25), 0.5, 1);
    StudySettings fine = settings(rounds, 1, 10).withStopping(early);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> fine.withCarried(Carried.CONTINUE));
    assertEquals(
        "study.carried: continue needs round 1's early-stopping checkpoints at or after the 6"
            + " epochs its carried trials already trained, got a checkpoint at epoch 5"
            + " (study.stopping.at)",
        e.getMessage());
    // At the carried trials' epochs, or with nothing carried, it is fine.
    fine.withStopping(new Stopping(Stopping.Rule.HALVING, List.of(0.3), 0.5, 1))
        .withCarried(Carried.CONTINUE);
    settings(rounds, 0, 10).withStopping(early).withCarried(Carried.CONTINUE);
  }

  @Test
  void theLastRoundIsNotNarrowed() {
    Study s = study(new RoundSpec(4, 1), new RoundSpec(4, 1));
    s.tell(results(s.ask(), new double[][] {{0.9, 0, 1}, {0.8, 0, 1}, {0.7, 0, 1}, {0.6, 0, 1}}));
    assertTrue(!s.history().get(0).narrowing().isEmpty());
    Region before = s.region();
    s.tell(results(s.ask(), new double[][] {{0.9, 0, 1}, {0.8, 0, 1}, {0.7, 0, 1}, {0.6, 0, 1}}));
    assertTrue(s.history().get(1).narrowing().isEmpty());
    assertEquals(before, s.region());
  }

  @Test
  void scoresForTrialsOutsideTheRoundAreRejected() {
    Study s = study(new RoundSpec(1, 1));
    Trial t = s.ask().get(0);
    ReplicateScore foreign =
        ReplicateScore.ok(0, t.number() + 100, 0, 1, 0.5, 0.5, 0.5, 1, null, 0);
    assertThrows(IllegalArgumentException.class, () -> s.tellScores(List.of(foreign)));
    s.tellScores(List.of(ReplicateScore.ok(0, t.number(), 0, 1, 0.5, 0.5, 0.5, 1, null, 0)));
    assertEquals(0.5, s.best().orElseThrow().winner().mean());
  }

  @Test
  void thePlanNamesTheRoundItsFidelityAndTheSeedUntilTheStudyEnds() {
    Study s = study(new RoundSpec(1, 3));
    assertEquals(new RoundPlan(0, 1, 3, 5), s.plan());
    s.tellScores(List.of());
    assertTrue(s.isFinished());
    assertThrows(IllegalStateException.class, s::plan);
  }

  @Test
  void aStudyKeepsItsSettingsAndSpaceAndRejectsAForeignStartRegion() {
    StudySettings settings = StudySettings.of("t", 5, List.of(new RoundSpec(1, 1)));
    Study s = Study.create(settings, SPACE, new RandomSampler());
    assertSame(settings, s.settings());
    assertSame(SPACE, s.space());
    SearchSpace other = SearchSpace.of(new Parameter("y", new Domain.Linear(0, 1)));
    assertThrows(
        IllegalArgumentException.class,
        () -> Study.warmStart(settings, SPACE, other.initialRegion()));
  }

  static StudySettings settings(List<RoundSpec> rounds, int carry, double divergenceFactor) {
    return new StudySettings(
        "t",
        1,
        rounds,
        0.1,
        0.1,
        carry,
        Objective.ACCURACY,
        divergenceFactor,
        "random",
        0.05,
        2,
        Stopping.NONE,
        Carried.RESTART);
  }

  @Test
  void settingsAreCheckedAtTheirBoundaries() {
    List<RoundSpec> rounds = List.of(new RoundSpec(4, 2), new RoundSpec(3, 2));
    settings(rounds, 0, 1.0001); // equal fidelity, no carry, a factor just above 1
    settings(rounds, 3, 10); // carry as many as the next round's trials
    assertThrows(IllegalArgumentException.class, () -> settings(rounds, -1, 10));
    assertThrows(IllegalArgumentException.class, () -> settings(rounds, 4, 10));
    assertThrows(IllegalArgumentException.class, () -> settings(rounds, 0, 1));
    assertThrows(
        IllegalArgumentException.class,
        () -> settings(List.of(new RoundSpec(4, 2), new RoundSpec(3, 1)), 0, 10));
  }

  @Test
  void theWithersChangeOneField() {
    StudySettings a = StudySettings.of("t", 5, List.of(new RoundSpec(4, 2)));
    assertEquals(StudySettings.DEFAULT_ELITE, a.elite());
    assertEquals("sobol", a.withSampler("sobol").sampler());
    List<RoundSpec> other = List.of(new RoundSpec(2, 1));
    assertEquals(other, a.withRounds(other).rounds());
    assertEquals(a.name(), a.withRounds(other).name());
  }
}
