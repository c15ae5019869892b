package dev.caviar.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StudyTest {

  static final StudySettings SETTINGS =
      StudySettings.of(
          "t", 17, List.of(new RoundSpec(12, 1), new RoundSpec(8, 2), new RoundSpec(6, 4)));

  /** Accuracy peaks at lr = 1e-2.5 for adam; noisy per replicate; large rates diverge. */
  static final FunctionRunner RUNNER =
      new FunctionRunner(
          Objective.ACCURACY,
          3,
          (t, shard, rng) -> {
            double lr = t.doubleParam("learningRate");
            if (lr > 0.02) {
              return Double.NaN;
            }
            double x = Math.log10(lr) + 2.5;
            double base = t.stringParam("optimizer").equals("adam") ? 0.9 : 0.8;
            return Math.max(0, Math.min(1, base - 0.05 * x * x + 0.01 * rng.nextGaussian()));
          });

  static Study fresh() {
    return Study.create(SETTINGS, SamplerTest.SPACE);
  }

  @Test
  void carriesTheBestTrialsIntoTheNextRoundAtTheNewFidelity() {
    Study s = fresh();
    s.tellScores(RUNNER.run(s.plan(), s.ask()));
    List<TrialResult> best =
        s.history().get(0).results().stream()
            .filter(r -> r.status() == Status.OK)
            .sorted(TrialResult.BEST_FIRST)
            .toList();
    List<Trial> next = s.ask();
    assertEquals(8, next.size());
    for (int i = 0; i < SETTINGS.carry(); i++) {
      assertEquals(best.get(i).trial().number(), next.get(i).carriedFrom());
      assertEquals(best.get(i).trial().params(), next.get(i).params());
      assertEquals(2, next.get(i).epochs());
    }
    assertEquals(-1, next.get(SETTINGS.carry()).carriedFrom());
  }

  @Test
  void runsToTheEndWithUniqueIdsAndAWinnerFromTheLastRound() {
    Study s = fresh().run(RUNNER);
    assertTrue(s.isFinished());
    Set<Integer> ids = new HashSet<>();
    for (RoundRecord r : s.history()) {
      for (Trial t : r.trials()) {
        assertTrue(ids.add(t.number()), "duplicate id " + t.number());
        assertEquals(r.epochs(), t.epochs());
      }
    }
    assertEquals(SETTINGS.totalTrials(), ids.size());
    assertTrue(
        s.history().get(0).results().stream().anyMatch(r -> r.status() == Status.DIVERGED),
        "the space reaches lr > 0.02, which diverges");
    Best best = s.best().orElseThrow();
    assertEquals(2, best.winner().trial().round());
    assertEquals(3, best.winner().n());
    assertTrue(best.winner().mean() > 0.8, "winner " + best.winner().mean());
    for (TrialResult tie : best.ties()) {
      assertTrue(best.winner().score() - tie.score() <= best.winner().std() + tie.std());
    }
    assertThrows(IllegalStateException.class, s::ask);
  }

  @Test
  void sameSeedSameStudyOtherSeedOtherStudy() {
    assertEquals(trials(fresh().run(RUNNER)), trials(fresh().run(RUNNER)));
    Study other = Study.create(SETTINGS.withSeed(18), SamplerTest.SPACE).run(RUNNER);
    assertFalse(trials(fresh().run(RUNNER)).equals(trials(other)));
  }

  private static List<List<Trial>> trials(Study s) {
    return s.history().stream().map(RoundRecord::trials).toList();
  }

  private static List<List<Double>> means(Study s) {
    return s.history().stream()
        .map(r -> r.results().stream().map(TrialResult::mean).toList())
        .toList();
  }

  @Test
  void resumingFromAnyCompletedRoundEqualsAnUninterruptedRun() {
    Study whole = fresh().run(RUNNER);
    for (int k = 0; k <= SETTINGS.rounds().size(); k++) {
      List<List<TrialResult>> stored = new ArrayList<>();
      for (int r = 0; r < k; r++) {
        stored.add(whole.history().get(r).results());
      }
      Study resumed = Study.replay(SETTINGS, SamplerTest.SPACE, stored).run(RUNNER);
      assertEquals(trials(whole), trials(resumed), "resumed after " + k + " rounds");
      assertEquals(means(whole), means(resumed), "resumed after " + k + " rounds");
      assertEquals(whole.region(), resumed.region());
      assertEquals(
          whole.best().orElseThrow().winner().trial(),
          resumed.best().orElseThrow().winner().trial());
    }
  }

  @Test
  void replayRejectsResultsFromAnotherConfiguration() {
    Study other = Study.create(SETTINGS.withSeed(99), SamplerTest.SPACE).run(RUNNER);
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                Study.replay(
                    SETTINGS, SamplerTest.SPACE, List.of(other.history().get(0).results())));
    assertTrue(e.getMessage().startsWith("resume: round 0 trial"), e.getMessage());
  }

  @Test
  void tellRejectsMissingOrForeignResults() {
    Study s = fresh();
    List<ReplicateScore> scores = RUNNER.run(s.plan(), s.ask());
    List<TrialResult> results = new ArrayList<>();
    for (Trial t : s.ask()) {
      results.add(
          TrialResult.aggregate(
              t,
              scores.stream().filter(x -> x.trial() == t.number()).toList(),
              Objective.ACCURACY));
    }
    assertThrows(IllegalArgumentException.class, () -> s.tell(results.subList(1, results.size())));
    s.tell(results);
    assertEquals(1, s.round());
  }

  @Test
  void aTrialWithNoScoreIsFailedNotFatal() {
    Study s = fresh();
    List<ReplicateScore> scores = new ArrayList<>(RUNNER.run(s.plan(), s.ask()));
    int dropped = s.ask().get(0).number();
    scores.removeIf(x -> x.trial() == dropped);
    s.tellScores(scores);
    assertEquals(Status.FAILED, s.history().get(0).results().get(0).status());
  }

  @Test
  void aggregateComputesMeanStdAndCounts() {
    Trial t = s0Trial();
    List<ReplicateScore> rs =
        List.of(
            ReplicateScore.ok(0, 0, 0, 1, 0.8, 0.5, 0.4, 1, null, 0),
            ReplicateScore.ok(0, 0, 1, 2, 0.9, 0.4, 0.3, 1, null, 0),
            ReplicateScore.notOk(0, 0, 2, 3, Status.DIVERGED, "loss NaN", 1, null, 0));
    TrialResult r = TrialResult.aggregate(t, rs, Objective.ACCURACY);
    assertEquals(Status.OK, r.status());
    assertEquals(0.85, r.mean(), 1e-12);
    assertEquals(Math.sqrt(0.005), r.std(), 1e-12);
    assertEquals(2, r.n());
    assertEquals(1, r.diverged());
    TrialResult loss = TrialResult.aggregate(t, rs, Objective.LOSS);
    assertEquals(-0.45, loss.score(), 1e-12);
  }

  @Test
  void aWarmStartSamplesTheGivenRegion() {
    dev.caviar.space.Region start =
        SamplerTest.SPACE
            .initialRegion()
            .with("learningRate", new dev.caviar.space.Domain.Log(1e-3, 2e-3));
    for (Trial t : Study.warmStart(SETTINGS, SamplerTest.SPACE, start).ask()) {
      double lr = t.doubleParam("learningRate");
      assertTrue(lr >= 1e-3 && lr <= 2e-3, "lr " + lr);
    }
  }

  @Test
  void trialsAndScoresSurviveJavaSerialization() throws Exception {
    Study s = fresh();
    Trial t = s.ask().get(0);
    ReplicateScore r = RUNNER.run(s.plan(), List.of(t)).get(0);
    var bytes = new java.io.ByteArrayOutputStream();
    try (var out = new java.io.ObjectOutputStream(bytes)) {
      out.writeObject(t);
      out.writeObject(r);
    }
    try (var in =
        new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
      assertEquals(t, in.readObject());
      assertEquals(r, in.readObject());
    }
  }

  private static Trial s0Trial() {
    return new Trial(0, 0, 1, new java.util.TreeMap<>(), 1, -1);
  }
}
