package dev.caviar.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.caviar.space.Domain;
import dev.caviar.space.Parameter;
import dev.caviar.space.Region;
import dev.caviar.space.SearchSpace;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Each narrowing rule on a linear parameter x, where the coordinate is the value itself, so that
 * every expected range is worked out by hand from the rule in {@link Narrower}'s javadoc: initial
 * range [0, 10], elite by count, scores without replicate spread unless a test is about noise.
 */
class NarrowingRulesTest {

  static final Domain.Linear INITIAL = new Domain.Linear(0, 10);

  static SearchSpace space(double limLo, double limHi) {
    return SearchSpace.of(new Parameter("x", INITIAL, null, new Domain.Linear(limLo, limHi)));
  }

  /** One OK result per {x, mean, std, n} row, numbered in the given order. */
  static List<TrialResult> results(double[]... rows) {
    List<TrialResult> out = new ArrayList<>();
    for (double[] row : rows) {
      TreeMap<String, Object> p = new TreeMap<>();
      p.put("x", row[0]);
      Trial t = new Trial(0, out.size(), out.size(), p, 1, -1);
      double std = row.length > 2 ? row[2] : 0;
      int n = row.length > 3 ? (int) row[3] : 1;
      out.add(NarrowerTest.result(t, Status.OK, row[1], std, n));
    }
    return out;
  }

  static NarrowingRecord narrowX(
      Narrower narrower, SearchSpace space, Domain.Linear current, List<TrialResult> rs) {
    Region region = space.initialRegion().with("x", current);
    return narrower.narrow(space, region, rs).records().get(0);
  }

  static void assertRange(double low, double high, NarrowingRecord r) {
    Domain.Linear d = (Domain.Linear) r.newRange();
    assertEquals(low, d.low(), 1e-9, r.toString());
    assertEquals(high, d.high(), 1e-9, r.toString());
  }

  static final double[][] INTERIOR = {
    {4, 1.0}, {6, 0.9}, {5, 0.8}, {1, 0.1}, {9, 0.1},
  };

  @Test
  void theNewRangeIsTheEliteHullPaddedByTheMarginOfTheCurrentWidth() {
    // Elite {4, 6}; leaders {4, 6, 5} sit mid-range, so no edge rule; margin 0.1 of width 10.
    NarrowingRecord r =
        narrowX(new Narrower(2, 0.1, 0.05, 1), space(-10, 20), INITIAL, results(INTERIOR));
    assertEquals(NarrowingRecord.Rule.NARROWED, r.rule());
    assertRange(3, 7, r);
    assertEquals(2, r.eliteCount());
    assertTrue(r.note().contains("4.000 .. 6.000"), r.note());
  }

  @Test
  void theMarginIsAShareOfTheCurrentNotTheInitialWidth() {
    // Current [2, 8] (width 6), best trial at the higher value: margin 0.25 * 6 = 1.5.
    List<TrialResult> rs =
        results(new double[] {6, 1.0}, new double[] {4, 0.9}, new double[] {5, 0.8});
    NarrowingRecord r =
        narrowX(new Narrower(2, 0.25, 0.05, 1), space(-10, 20), new Domain.Linear(2, 8), rs);
    assertRange(2.5, 7.5, r);
  }

  @Test
  void aNarrowRangeIsWidenedToMinWidthOfTheInitialWidthAroundItsCentre() {
    // Elite hull [5, 5.5] with no margin; minWidth 0.5 of the initial 10 (not of the current 6).
    List<TrialResult> rs =
        results(new double[] {5, 1.0}, new double[] {5.5, 0.9}, new double[] {6, 0.8});
    NarrowingRecord r =
        narrowX(new Narrower(2, 0, 0.5, 1), space(-10, 20), new Domain.Linear(2, 8), rs);
    assertRange(2.75, 7.75, r);
  }

  @Test
  void theMinimumWidthShiftsInsideTheHardLimitsRatherThanShrinking() {
    Narrower narrower = new Narrower(2, 0, 0.5, 1);
    // Hull [0.5, 1] centred at 0.75 would reach -1.75: it is pushed up to start at the limit 0.
    List<TrialResult> low =
        results(new double[] {0.5, 1.0}, new double[] {1, 0.9}, new double[] {9, 0.8});
    assertRange(0, 5, narrowX(narrower, space(0, 20), INITIAL, low));
    // Mirror: hull [9, 9.5] would reach 11.75 past the limit 10.
    List<TrialResult> high =
        results(new double[] {9.5, 1.0}, new double[] {9, 0.9}, new double[] {1, 0.8});
    assertRange(5, 10, narrowX(narrower, space(-10, 10), INITIAL, high));
  }

  static final double[][] CROWD_LOW = {{0.5, 1.0}, {1, 0.9}, {1.5, 0.8}, {9, 0.1}};
  static final double[][] CROWD_HIGH = {{9.5, 1.0}, {9, 0.9}, {8.5, 0.8}, {1, 0.1}};

  @Test
  void aCrowdedEdgeMovesOutByHalfTheWidthUpToTheHardLimit() {
    Narrower narrower = new Narrower(2, 0.1, 0.05, 1);
    NarrowingRecord low = narrowX(narrower, space(-10, 20), INITIAL, results(CROWD_LOW));
    assertEquals(NarrowingRecord.Rule.WIDENED_LOW, low.rule());
    assertRange(-5, 2, low);
    assertTrue(low.note().contains("-10.00"), low.note());
    assertRange(-3, 2, narrowX(narrower, space(-3, 20), INITIAL, results(CROWD_LOW)));

    NarrowingRecord high = narrowX(narrower, space(-10, 20), INITIAL, results(CROWD_HIGH));
    assertEquals(NarrowingRecord.Rule.WIDENED_HIGH, high.rule());
    assertRange(8, 15, high);
    assertTrue(high.note().contains("20.00"), high.note());
    assertRange(8, 12, narrowX(narrower, space(-10, 12), INITIAL, results(CROWD_HIGH)));
  }

  @Test
  void aCrowdedEdgeAtTheHardLimitStaysThere() {
    Narrower narrower = new Narrower(2, 0.1, 0.05, 1);
    NarrowingRecord low = narrowX(narrower, space(0, 20), INITIAL, results(CROWD_LOW));
    assertEquals(NarrowingRecord.Rule.EDGE_AT_LIMIT, low.rule());
    assertRange(0, 2, low);
    NarrowingRecord high = narrowX(narrower, space(-10, 10), INITIAL, results(CROWD_HIGH));
    assertEquals(NarrowingRecord.Rule.EDGE_AT_LIMIT, high.rule());
    assertRange(8, 10, high);
  }

  @Test
  void anEliteExactlyAtTheInnerBorderOfTheEdgeZoneCountsAsCrowding() {
    // One elite; the leaders' mean position (2.5 + 0 + 0) / 30 is far below 1/2, and the elite
    // sits at exactly EDGE * width = 2.5 from the low bound (and 7.5 for the high one).
    Narrower narrower = new Narrower(1, 0, 0.05, 1);
    List<TrialResult> low =
        results(new double[] {2.5, 1.0}, new double[] {0, 0.9}, new double[] {0, 0.8});
    assertEquals(
        NarrowingRecord.Rule.WIDENED_LOW, narrowX(narrower, space(-10, 20), INITIAL, low).rule());
    List<TrialResult> high =
        results(new double[] {7.5, 1.0}, new double[] {10, 0.9}, new double[] {10, 0.8});
    assertEquals(
        NarrowingRecord.Rule.WIDENED_HIGH, narrowX(narrower, space(-10, 20), INITIAL, high).rule());
  }

  @Test
  void anEliteSpanningTheWholeRangeLeavesItUnchanged() {
    List<TrialResult> rs =
        results(new double[] {0, 1.0}, new double[] {10, 0.9}, new double[] {5, 0.8});
    NarrowingRecord r = narrowX(new Narrower(2, 0.1, 0.05, 1), space(-10, 20), INITIAL, rs);
    assertEquals(NarrowingRecord.Rule.UNCHANGED, r.rule());
    assertRange(0, 10, r);
  }

  @Test
  void withinNoiseTheRangeMovesHalfWayToTheEliteHull() {
    // Best 1.0 and median 0.98, each with standard error 0.1 / sqrt(4) = 0.05: a gap of 0.02 is
    // within two combined standard errors. Hull [4, 6] (no margin), so [0, 10] -> [2, 8].
    double[][] rows = {
      {4, 1.0, 0.1, 4}, {6, 0.99, 0.1, 4}, {5, 0.98, 0.1, 4}, {1, 0.97, 0.1, 4}, {9, 0.96, 0.1, 4},
    };
    NarrowingRecord r =
        narrowX(new Narrower(2, 0, 0.05, 1), space(-10, 20), INITIAL, results(rows));
    assertEquals(NarrowingRecord.Rule.WITHIN_NOISE, r.rule());
    assertRange(2, 8, r);
    assertTrue(r.note().contains("within two standard errors"), r.note());
  }

  /** Best 2.0, median (index 1 of 3) 2.0 - gap; standard errors 3/8 and 4/8, combined 5/8. */
  static NarrowingRecord.Rule ruleForGap(double gap) {
    double[][] rows = {{4, 2.0, 0.75, 4}, {6, 2.0 - gap, 1.0, 4}, {5, 2.0 - gap - 1, 0, 1}};
    return narrowX(new Narrower(2, 0, 0.05, 1), space(-10, 20), INITIAL, results(rows)).rule();
  }

  @Test
  void theNoiseRuleComparesTheGapWithTwoCombinedStandardErrors() {
    assertEquals(NarrowingRecord.Rule.WITHIN_NOISE, ruleForGap(1.2));
    assertEquals(NarrowingRecord.Rule.NARROWED, ruleForGap(1.25)); // exactly 2 * 5/8: stands out
    assertEquals(NarrowingRecord.Rule.NARROWED, ruleForGap(1.3));
  }

  @Test
  void withoutReplicateSpreadEvenATieIsNotNoise() {
    List<TrialResult> rs =
        results(new double[] {4, 0.5}, new double[] {6, 0.5}, new double[] {5, 0.5});
    assertEquals(
        NarrowingRecord.Rule.NARROWED,
        narrowX(new Narrower(2, 0, 0.05, 1), space(-10, 20), INITIAL, rs).rule());
  }

  @Test
  void aChoiceWhoseEliteUseEveryValueIsUnchanged() {
    SearchSpace s = SearchSpace.of(new Parameter("c", new Domain.Choice(List.of("a", "b"))));
    List<TrialResult> rs = new ArrayList<>();
    String[] values = {"a", "b", "a"};
    for (int i = 0; i < values.length; i++) {
      TreeMap<String, Object> p = new TreeMap<>();
      p.put("c", values[i]);
      rs.add(NarrowerTest.result(new Trial(0, i, i, p, 1, -1), Status.OK, 1.0 - i, 0, 1));
    }
    NarrowingRecord r =
        new Narrower(2, 0, 0.05, 1).narrow(s, s.initialRegion(), rs).records().get(0);
    assertEquals(NarrowingRecord.Rule.UNCHANGED, r.rule());
    assertEquals(2, ((Domain.Choice) r.newRange()).values().size());
  }

  @Test
  void aRegionOfAnotherSpaceIsRejected() {
    SearchSpace other = SearchSpace.of(new Parameter("y", INITIAL));
    assertThrows(
        IllegalArgumentException.class,
        () -> new Narrower(2, 0, 0.05, 1).narrow(space(-10, 20), other.initialRegion(), List.of()));
  }

  @Test
  void eliteIsAFractionRoundedUpOrAWholeCountWithinTheOkTrials() {
    assertEquals(3, new Narrower(0.25, 0, 0.05, 1).eliteCount(10)); // ceil(2.5)
    assertEquals(2, new Narrower(0.2, 0, 0.05, 1).eliteCount(10));
    assertEquals(1, new Narrower(0.01, 0, 0.05, 1).eliteCount(10)); // at least one
    assertEquals(1, new Narrower(1, 0, 0.05, 1).eliteCount(10)); // 1 is a count, not 100%
    assertEquals(3, new Narrower(5, 0, 0.05, 1).eliteCount(3)); // at most all
    assertEquals(0, new Narrower(5, 0, 0.05, 1).eliteCount(0));
  }

  @Test
  void settingsAreCheckedAtTheirBoundaries() {
    assertThrows(IllegalArgumentException.class, () -> new Narrower(0, 0, 0.05, 1));
    assertThrows(IllegalArgumentException.class, () -> new Narrower(Double.NaN, 0, 0.05, 1));
    assertThrows(IllegalArgumentException.class, () -> new Narrower(1.5, 0, 0.05, 1));
    new Narrower(1, 0, 1, 1); // margin 0, minWidth 1, choiceFloor 1 are allowed
    new Narrower(0.5, 1, 0.05, 1); // margin 1 too
    assertThrows(IllegalArgumentException.class, () -> new Narrower(1, -1e-9, 0.05, 1));
    assertThrows(IllegalArgumentException.class, () -> new Narrower(1, 1 + 1e-9, 0.05, 1));
    assertThrows(IllegalArgumentException.class, () -> new Narrower(1, 0, 0, 1));
    assertThrows(IllegalArgumentException.class, () -> new Narrower(1, 0, 1 + 1e-9, 1));
    assertThrows(IllegalArgumentException.class, () -> new Narrower(1, 0, 0.05, 0));
  }

  @Test
  void widthsAreDifferencesOfBoundsNotOfTheirDistanceFromZero() {
    // Initial [10, 20] in limits [0, 40]: minWidth 0.5 is 5, around the hull [15, 15.5].
    SearchSpace s =
        SearchSpace.of(
            new Parameter("x", new Domain.Linear(10, 20), null, new Domain.Linear(0, 40)));
    Domain.Linear initial = new Domain.Linear(10, 20);
    List<TrialResult> narrow =
        results(new double[] {15, 1.0}, new double[] {15.5, 0.9}, new double[] {16, 0.8});
    assertRange(12.75, 17.75, narrowX(new Narrower(2, 0, 0.5, 1), s, initial, narrow));
    // Within noise, hull [14, 16] is approached half-way from [10, 20]: [12, 18].
    double[][] rows = {
      {14, 1.0, 0.1, 4},
      {16, 0.99, 0.1, 4},
      {15, 0.98, 0.1, 4},
      {11, 0.97, 0.1, 4},
      {19, 0.96, 0.1, 4},
    };
    assertRange(12, 18, narrowX(new Narrower(2, 0, 0.05, 1), s, initial, results(rows)));
  }
}
