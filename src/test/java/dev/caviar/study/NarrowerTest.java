package dev.caviar.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.caviar.space.Domain;
import dev.caviar.space.Parameter;
import dev.caviar.space.Region;
import dev.caviar.space.SearchSpace;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class NarrowerTest {

  static final SearchSpace SPACE =
      SearchSpace.of(
          new Parameter("learningRate", new Domain.Log(1e-4, 1e-2)),
          new Parameter("l2", new Domain.Log(1e-6, 1e-3), null, new Domain.Log(1e-8, 1e-2)),
          new Parameter("units", new Domain.IntLog(32, 512)),
          new Parameter("layers", new Domain.IntUniform(1, 4)),
          new Parameter("batchSize", new Domain.Pow2(32, 256)),
          new Parameter("dropout", new Domain.Linear(0, 0.3), null, new Domain.Linear(0, 0.6)),
          new Parameter("optimizer", new Domain.Choice(List.of("sgd", "momentum", "adam"))),
          new Parameter(
              "beta1",
              new Domain.OneMinusLog(0.8, 0.99),
              new Parameter.Condition("optimizer", List.of("adam"))),
          new Parameter("batchNorm", new Domain.Fixed(true)));

  static TrialResult result(Trial t, Status status, double mean, double std, int n) {
    return new TrialResult(
        t,
        Objective.ACCURACY,
        status,
        status == Status.OK ? mean : Double.NaN,
        std,
        status == Status.OK ? n : 0,
        mean,
        mean,
        status == Status.DIVERGED ? n : 0,
        status == Status.FAILED ? n : 0,
        List.of());
  }

  static List<Trial> trials(SearchSpace space, Region region, int n, long seed, int round) {
    List<Trial> out = new ArrayList<>();
    int i = 0;
    for (SortedMap<String, Object> p : new RandomSampler().sample(space, region, n, seed)) {
      out.add(new Trial(round, round * 1000 + i, seed + i, p, 1, -1));
      i++;
    }
    return out;
  }

  @Test
  void invariantsHoldOverManyRandomRounds() {
    Narrower narrower = new Narrower(0.25, 0.1, 0.05, 2);
    for (long c = 0; c < 300; c++) {
      SplittableRandom rng = new SplittableRandom(c);
      Region region = SPACE.initialRegion();
      List<TrialResult> previousElite = List.of();
      for (int round = 0; round < 4; round++) {
        List<Trial> ts = trials(SPACE, region, 4 + rng.nextInt(30), c * 31 + round, round);
        // Carried trials from an earlier region may lie outside the current one.
        List<TrialResult> results = new ArrayList<>();
        for (TrialResult e : previousElite) {
          results.add(result(e.trial(), Status.OK, rng.nextDouble(), 0.01, 2));
        }
        for (Trial t : ts) {
          double u = rng.nextDouble();
          Status s = u < 0.15 ? Status.DIVERGED : u < 0.2 ? Status.FAILED : Status.OK;
          double score =
              rng.nextBoolean()
                  ? rng.nextDouble()
                  : Math.log10(t.doubleParam("learningRate")) / 10 + 1;
          results.add(result(t, s, score, rng.nextDouble() * 0.02, 1 + rng.nextInt(3)));
        }
        Narrower.Narrowing n = narrower.narrow(SPACE, region, results);
        List<TrialResult> ok =
            results.stream()
                .filter(r -> r.status() == Status.OK)
                .sorted(TrialResult.BEST_FIRST)
                .toList();
        List<TrialResult> elite = ok.subList(0, narrower.eliteCount(ok.size()));
        n.region().checkAgainst(SPACE);
        for (Parameter p : SPACE.parameters()) {
          Domain d = n.region().domain(p.name());
          if (d instanceof Domain.Numeric num) {
            double[] lim = p.limitValues();
            assertTrue(
                num.lowBound() >= lim[0] && num.highBound() <= lim[1],
                p.name() + " " + d.describe() + " outside limits, case " + c);
            assertTrue(num.highBound() >= num.lowBound(), p.name() + " empty, case " + c);
          }
          if (d instanceof Domain.Choice ch) {
            assertTrue(!ch.values().isEmpty());
            assertTrue(
                ch.values().size() >= Math.min(2, ((Domain.Choice) p.domain()).values().size()));
          }
          for (TrialResult e : elite) {
            Object v = e.trial().params().get(p.name());
            if (v != null) {
              assertTrue(
                  d.contains(v),
                  p.name() + "=" + v + " dropped from " + d.describe() + ", case " + c);
            }
          }
        }
        previousElite = elite.subList(0, Math.min(2, elite.size()));
        region = n.region();
      }
    }
  }

  /**
   * When the score ignores the parameters, the boundary rule is noise: it may fire, but seldom. Its
   * one-sided test is set at 5% per side (normal approximation); measured here: 61 of 400 (15%)
   * over both sides. The budget, 18%, fails a rule that looks only at the best trial, which fires
   * most of the time.
   */
  @Test
  void noiseSeldomWidensARange() {
    SearchSpace space = SearchSpace.of(new Parameter("learningRate", new Domain.Log(1e-4, 1e-2)));
    Narrower narrower = new Narrower(0.25, 0.1, 0.05, 2);
    int widened = 0;
    int cases = 400;
    for (long c = 0; c < cases; c++) {
      SplittableRandom rng = new SplittableRandom(1000 + c);
      List<TrialResult> rs = new ArrayList<>();
      for (Trial t : trials(space, space.initialRegion(), 20, c, 0)) {
        rs.add(result(t, Status.OK, rng.nextDouble(), 0, 1));
      }
      NarrowingRecord.Rule rule =
          narrower.narrow(space, space.initialRegion(), rs).records().get(0).rule();
      if (rule == NarrowingRecord.Rule.WIDENED_LOW || rule == NarrowingRecord.Rule.WIDENED_HIGH) {
        widened++;
      }
    }
    assertTrue(widened <= cases * 0.18, "noise widened the range in " + widened + " of " + cases);
  }

  private static List<TrialResult> monotone(SearchSpace space, boolean increasing, long seed) {
    List<TrialResult> out = new ArrayList<>();
    for (Trial t : trials(space, space.initialRegion(), 24, seed, 0)) {
      double x = Math.log10(t.doubleParam("learningRate"));
      out.add(result(t, Status.OK, increasing ? x : -x, 0, 1));
    }
    return out;
  }

  @Test
  void widensTheCrowdedEdgeAndFlagsIt() {
    SearchSpace free = SearchSpace.of(new Parameter("learningRate", new Domain.Log(1e-4, 1e-2)));
    Narrower narrower = new Narrower(0.25, 0.1, 0.05, 2);
    NarrowingRecord up =
        narrower.narrow(free, free.initialRegion(), monotone(free, true, 5)).records().get(0);
    assertEquals(NarrowingRecord.Rule.WIDENED_HIGH, up.rule());
    assertTrue(((Domain.Log) up.newRange()).high() > 1e-2, up.newRange().describe());
    NarrowingRecord down =
        narrower.narrow(free, free.initialRegion(), monotone(free, false, 5)).records().get(0);
    assertEquals(NarrowingRecord.Rule.WIDENED_LOW, down.rule());
    assertTrue(((Domain.Log) down.newRange()).low() < 1e-4, down.newRange().describe());

    SearchSpace capped =
        SearchSpace.of(
            new Parameter(
                "learningRate", new Domain.Log(1e-4, 1e-2), null, new Domain.Log(1e-5, 1e-2)));
    NarrowingRecord held =
        narrower.narrow(capped, capped.initialRegion(), monotone(capped, true, 5)).records().get(0);
    assertEquals(NarrowingRecord.Rule.EDGE_AT_LIMIT, held.rule());
    assertEquals(1e-2, ((Domain.Log) held.newRange()).high());
  }

  @Test
  void narrowsAroundAnInteriorOptimum() {
    SearchSpace s = SearchSpace.of(new Parameter("learningRate", new Domain.Log(1e-5, 1e-1)));
    List<TrialResult> rs = new ArrayList<>();
    for (Trial t : trials(s, s.initialRegion(), 40, 9, 0)) {
      double x = Math.log10(t.doubleParam("learningRate"));
      rs.add(result(t, Status.OK, -Math.abs(x + 3), 0, 1));
    }
    NarrowingRecord r =
        new Narrower(0.25, 0.1, 0.05, 2).narrow(s, s.initialRegion(), rs).records().get(0);
    assertEquals(NarrowingRecord.Rule.NARROWED, r.rule());
    Domain.Log d = (Domain.Log) r.newRange();
    assertTrue(d.low() > 1e-5 && d.high() < 1e-1 && d.contains(1e-3), d.describe());
  }

  @Test
  void staysPutWhenEveryTrialDiverged() {
    Region start = SPACE.initialRegion();
    List<TrialResult> rs = new ArrayList<>();
    for (Trial t : trials(SPACE, start, 12, 1, 0)) {
      rs.add(result(t, Status.DIVERGED, Double.NaN, 0, 2));
    }
    Narrower.Narrowing n = new Narrower(0.25, 0.1, 0.05, 2).narrow(SPACE, start, rs);
    assertSame(start, n.region());
    for (NarrowingRecord r : n.records()) {
      assertEquals(NarrowingRecord.Rule.UNCHANGED, r.rule());
      assertEquals(0, r.eliteCount());
    }
  }

  @Test
  void divergedTrialsAreNeverElite() {
    SearchSpace s = SearchSpace.of(new Parameter("learningRate", new Domain.Log(1e-5, 1e-1)));
    List<TrialResult> rs = new ArrayList<>();
    for (Trial t : trials(s, s.initialRegion(), 20, 3, 0)) {
      double lr = t.doubleParam("learningRate");
      // The large rates diverge; among the rest, larger is better: the edge is the divergence.
      rs.add(lr > 1e-2 ? result(t, Status.DIVERGED, 0, 0, 1) : result(t, Status.OK, lr, 0, 1));
    }
    Domain.Log d =
        (Domain.Log)
            new Narrower(0.25, 0.1, 0.05, 2)
                .narrow(s, s.initialRegion(), rs)
                .region()
                .domain("learningRate");
    assertTrue(d.high() < 1e-1, d.describe());
  }

  @Test
  void saysWithinNoiseRatherThanNarrowingHard() {
    SearchSpace s = SearchSpace.of(new Parameter("learningRate", new Domain.Log(1e-5, 1e-1)));
    List<Trial> ts = trials(s, s.initialRegion(), 20, 4, 0);
    List<TrialResult> quiet = new ArrayList<>();
    List<TrialResult> noisy = new ArrayList<>();
    for (Trial t : ts) {
      double score = -Math.abs(Math.log10(t.doubleParam("learningRate")) + 3) * 0.01;
      quiet.add(result(t, Status.OK, score, 0.0001, 4));
      noisy.add(result(t, Status.OK, score, 0.5, 4));
    }
    Narrower narrower = new Narrower(0.25, 0.1, 0.05, 2);
    NarrowingRecord q = narrower.narrow(s, s.initialRegion(), quiet).records().get(0);
    NarrowingRecord n = narrower.narrow(s, s.initialRegion(), noisy).records().get(0);
    assertEquals(NarrowingRecord.Rule.NARROWED, q.rule());
    assertEquals(NarrowingRecord.Rule.WITHIN_NOISE, n.rule());
    double qw = Math.log10(((Domain.Log) q.newRange()).high() / ((Domain.Log) q.newRange()).low());
    double nw = Math.log10(((Domain.Log) n.newRange()).high() / ((Domain.Log) n.newRange()).low());
    assertTrue(nw > qw, nw + " vs " + qw);
  }

  @Test
  void aChoiceKeepsAFloorOfValues() {
    SearchSpace s =
        SearchSpace.of(
            new Parameter(
                "optimizer", new Domain.Choice(List.of("sgd", "momentum", "rmsprop", "adam"))));
    List<TrialResult> rs = new ArrayList<>();
    for (Trial t : trials(s, s.initialRegion(), 40, 2, 0)) {
      String o = t.stringParam("optimizer");
      rs.add(result(t, Status.OK, o.equals("adam") ? 0.9 : o.equals("rmsprop") ? 0.8 : 0.1, 0, 1));
    }
    Narrower.Narrowing n = new Narrower(0.1, 0.1, 0.05, 2).narrow(s, s.initialRegion(), rs);
    assertEquals(
        List.of("rmsprop", "adam"), ((Domain.Choice) n.region().domain("optimizer")).values());
    assertEquals(NarrowingRecord.Rule.NARROWED, n.records().get(0).rule());
  }

  @Test
  void theEliteIsAShareOfTheWholeRoundWhenEarlyStoppingEndedSomeTrials() {
    Narrower narrower = new Narrower(0.25, 0.1, 0.05, 2);
    Region region = SPACE.initialRegion();
    List<Trial> ts = trials(SPACE, region, 8, 5, 1);
    List<TrialResult> results = new ArrayList<>();
    List<TrialResult> okOnly = new ArrayList<>();
    for (int i = 0; i < ts.size(); i++) {
      // The first four went on to the end; the last four stopped at a checkpoint (with a higher
      // checkpoint score than some finals: they still rank below every OK trial).
      TrialResult r =
          i < 4
              ? result(ts.get(i), Status.OK, 0.80 + 0.01 * i, 0, 1)
              : TrialResult.aggregate(
                  ts.get(i),
                  List.of(
                      ReplicateScore.ok(1, ts.get(i).number(), 0, 1, 0.9, 0.1, 0.1, 2, null, 1)
                          .stopped("stopped at epoch 2")),
                  Objective.ACCURACY);
      results.add(r);
      if (i < 4) {
        okOnly.add(r);
      }
    }
    assertEquals(Status.STOPPED, results.get(7).status());
    Narrower.Narrowing withStopped = narrower.narrow(SPACE, region, results);
    Narrower.Narrowing withoutThem = narrower.narrow(SPACE, region, okOnly);
    // 25% of eight is two elite trials, both OK; of the four OK ones alone it would be one.
    assertEquals(2, withStopped.records().get(0).eliteCount());
    assertEquals(1, withoutThem.records().get(0).eliteCount());
  }
}
