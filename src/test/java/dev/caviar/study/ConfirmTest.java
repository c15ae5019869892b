package dev.caviar.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.caviar.space.Domain;
import dev.caviar.space.Parameter;
import dev.caviar.space.SearchSpace;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A round's confirmation ({@link Confirm}): which trials get more replicates, and what that does to
 * the study: the leaders end with their spread known, so the tie and within-noise rules can fire.
 */
class ConfirmTest {
  static final SearchSpace SPACE = SearchSpace.of(new Parameter("x", new Domain.Linear(0, 10)));

  private static ReplicateScore ok(Trial t, int shard, double accuracy) {
    return ReplicateScore.ok(
        t.round(), t.number(), shard, t.seedFor(shard), accuracy, 0.5, 0.5, 1, null, 1);
  }

  private static ReplicateScore diverged(Trial t, int shard) {
    return ReplicateScore.notOk(
        t.round(), t.number(), shard, t.seedFor(shard), Status.DIVERGED, "why", 1, null, 1);
  }

  @Test
  void theBestOkTrialsAreConfirmedBestFirstWithTheReplicatesTheyLack() {
    Study s = Study.create(StudySettings.of("t", 3, List.of(new RoundSpec(6, 1))), SPACE);
    List<Trial> ts = s.ask();
    List<ReplicateScore> scores = new ArrayList<>();
    scores.add(ok(ts.get(0), 0, 0.70));
    scores.add(diverged(ts.get(1), 0));
    scores.add(ok(ts.get(2), 0, 0.90));
    scores.add(ok(ts.get(3), 0, 0.80));
    scores.add(ok(ts.get(3), 4, 0.84)); // two replicates already, on shards 0 and 4
    scores.add(ok(ts.get(4), 0, 0.95).stopped("halving")); // its checkpoint score ranks nowhere
    scores.add(ok(ts.get(5), 0, 0.60));

    List<Confirm.Need> needs = new Confirm(3, 3).needs(ts, scores, Objective.ACCURACY);
    assertEquals(3, needs.size());
    assertEquals(ts.get(2).number(), needs.get(0).trial());
    assertEquals(2, needs.get(0).more());
    assertEquals(List.of(1, 2), needs.get(0).nextCoordinates());
    assertEquals(ts.get(3).number(), needs.get(1).trial());
    assertEquals(Set.of(0, 4), needs.get(1).used());
    assertEquals(1, needs.get(1).more());
    assertEquals(List.of(1), needs.get(1).nextCoordinates());
    // The DIVERGED and STOPPED trials are never confirmed: the third is the next OK one.
    assertEquals(ts.get(0).number(), needs.get(2).trial());

    // A trial that already has the replicates is not confirmed again; the top stays the top.
    List<Confirm.Need> two = new Confirm(2, 2).needs(ts, scores, Objective.ACCURACY);
    assertEquals(List.of(ts.get(2).number()), two.stream().map(Confirm.Need::trial).toList());
    assertTrue(Confirm.NONE.needs(ts, scores, Objective.ACCURACY).isEmpty());
  }

  @Test
  void badValuesAreRefusedWithTheRule() {
    IllegalArgumentException one =
        assertThrows(IllegalArgumentException.class, () -> new Confirm(2, 1));
    assertEquals(
        "confirm.replicates: must be >= 2 (the replicates a confirmed trial ends with), got 1",
        one.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new Confirm(-1, 2));
    IllegalArgumentException tooMany =
        assertThrows(IllegalArgumentException.class, () -> new RoundSpec(4, 1, new Confirm(5, 2)));
    assertEquals("confirm.top: must be <= the round's trials (4), got 5", tooMany.getMessage());
  }

  /** A flat objective plus seed noise: any ranking of the trials is noise. */
  private static Study noisy(Confirm first, Confirm second) {
    FunctionRunner runner =
        new FunctionRunner(
            Objective.ACCURACY, 1, (trial, shard, rng) -> 0.8 + 0.02 * rng.nextGaussian());
    return Study.create(
            StudySettings.of(
                "t", 11, List.of(new RoundSpec(12, 1, first), new RoundSpec(12, 1, second))),
            SPACE)
        .run(runner);
  }

  @Test
  void confirmedLeadersCarryTheirSpreadSoTheNoiseRulesFire() {
    Study plain = noisy(Confirm.NONE, Confirm.NONE);
    Study confirmed = noisy(new Confirm(6, 8), new Confirm(6, 8));

    // Without confirmation every trial has one replicate: no spread, so neither rule can fire.
    for (RoundRecord r : plain.history()) {
      assertTrue(r.results().stream().allMatch(t -> t.replicates().size() == 1));
    }
    assertTrue(plain.best().orElseThrow().ties().isEmpty());
    assertFalse(
        plain.history().get(0).narrowing().stream()
            .anyMatch(n -> n.rule() == NarrowingRecord.Rule.WITHIN_NOISE));

    // With it the round's six best by their first seed end with eight replicates each, the rest
    // with one; the study ranks them on their mean.
    for (RoundRecord r : confirmed.history()) {
      List<TrialResult> byFirst =
          r.results().stream()
              .sorted(
                  (a, b) ->
                      Double.compare(
                          b.replicates().get(0).validationAccuracy(),
                          a.replicates().get(0).validationAccuracy()))
              .toList();
      for (int i = 0; i < byFirst.size(); i++) {
        assertEquals(i < 6 ? 8 : 1, byFirst.get(i).replicates().size(), "rank " + i);
      }
    }
    Best best = confirmed.best().orElseThrow();
    assertEquals(8, best.winner().n());
    assertFalse(best.ties().isEmpty(), "on a flat objective the winner ties with other leaders");
    assertTrue(
        confirmed.history().get(0).narrowing().stream()
            .anyMatch(n -> n.rule() == NarrowingRecord.Rule.WITHIN_NOISE),
        "the narrowing sees that the best does not stand out: "
            + confirmed.history().get(0).narrowing());

    // The same seed confirms the same trials with the same scores.
    assertEquals(
        summary(confirmed.history().get(1)),
        summary(noisy(new Confirm(6, 8), new Confirm(6, 8)).history().get(1)));
  }

  private static List<String> summary(RoundRecord r) {
    return r.results().stream()
        .map(t -> t.trial().number() + ":" + t.n() + ":" + t.mean())
        .toList();
  }
}
