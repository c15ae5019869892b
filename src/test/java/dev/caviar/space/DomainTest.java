package dev.caviar.space;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.apache.commons.math3.distribution.ChiSquaredDistribution;
import org.junit.jupiter.api.Test;

class DomainTest {

  private static final int SEEDS = 200;
  private static final int DRAWS = 2000;
  // Each seed's test has size 1%; over 200 seeds P(more than 7 rejections) is about 0.1%.
  private static final int FAILURE_BUDGET = 7;

  /** Expected probability of each bin; bin index of a value. */
  private interface Binning {
    double[] expected();

    int bin(Object value);
  }

  private static Binning continuous(Domain d, int bins) {
    return new Binning() {
      public double[] expected() {
        double[] e = new double[bins];
        java.util.Arrays.fill(e, 1.0 / bins);
        return e;
      }

      public int bin(Object v) {
        return Math.min(bins - 1, (int) Math.floor(d.toUnit(v) * bins));
      }
    };
  }

  private static int chiSquareFailures(Domain d, Binning b) {
    double[] p = b.expected();
    double critical = new ChiSquaredDistribution(p.length - 1).inverseCumulativeProbability(0.99);
    int failures = 0;
    for (int seed = 0; seed < SEEDS; seed++) {
      SplittableRandom rng = new SplittableRandom(seed);
      long[] counts = new long[p.length];
      for (int i = 0; i < DRAWS; i++) {
        Object v = d.fromUnit(rng.nextDouble());
        if (!d.contains(v)) {
          throw new AssertionError(d.describe() + " drew illegal " + v);
        }
        counts[b.bin(v)]++;
      }
      double chi2 = 0;
      for (int k = 0; k < p.length; k++) {
        double e = p[k] * DRAWS;
        chi2 += (counts[k] - e) * (counts[k] - e) / e;
      }
      if (!(chi2 <= critical)) {
        failures++;
      }
    }
    return failures;
  }

  @Test
  void continuousScalesAreUniformInTheirTransformedCoordinate() {
    for (Domain d :
        List.of(
            new Domain.Linear(-3, 5),
            new Domain.Log(1e-5, 1e-1),
            new Domain.OneMinusLog(0.9, 0.999))) {
      int f = chiSquareFailures(d, continuous(d, 10));
      assertTrue(f <= FAILURE_BUDGET, d.describe() + ": " + f + " of " + SEEDS + " seeds rejected");
    }
  }

  @Test
  void integerScalesGiveEachValueItsShareOfTheTransformedCoordinate() {
    Domain.IntUniform uni = new Domain.IntUniform(1, 6);
    Domain.IntLog intLog = new Domain.IntLog(1, 40);
    Domain.Pow2 pow2 = new Domain.Pow2(16, 1024);
    Domain.Choice choice = new Domain.Choice(List.of("sgd", "momentum", "rmsprop", "adam"));
    assertTrue(chiSquareFailures(uni, discrete(1, 6, v -> 1.0 / 6)) <= FAILURE_BUDGET);
    double total = Math.log(40.5 / 0.5);
    assertTrue(
        chiSquareFailures(intLog, discrete(1, 40, v -> Math.log((v + 0.5) / (v - 0.5)) / total))
            <= FAILURE_BUDGET);
    Binning pow2Bins =
        new Binning() {
          public double[] expected() {
            double[] e = new double[7];
            java.util.Arrays.fill(e, 1.0 / 7);
            return e;
          }

          public int bin(Object v) {
            return Integer.numberOfTrailingZeros((Integer) v) - 4;
          }
        };
    assertTrue(chiSquareFailures(pow2, pow2Bins) <= FAILURE_BUDGET);
    Binning choiceBins =
        new Binning() {
          public double[] expected() {
            return new double[] {0.25, 0.25, 0.25, 0.25};
          }

          public int bin(Object v) {
            return choice.values().indexOf(v);
          }
        };
    assertTrue(chiSquareFailures(choice, choiceBins) <= FAILURE_BUDGET);
  }

  private static Binning discrete(int lo, int hi, java.util.function.IntToDoubleFunction p) {
    return new Binning() {
      public double[] expected() {
        double[] e = new double[hi - lo + 1];
        for (int v = lo; v <= hi; v++) {
          e[v - lo] = p.applyAsDouble(v);
        }
        return e;
      }

      public int bin(Object v) {
        return (Integer) v - lo;
      }
    };
  }

  @Test
  void theChiSquareCheckRejectsAWrongScale() {
    // A linear draw judged as if it were log-uniform must fail nearly every seed.
    Domain.Linear linear = new Domain.Linear(1e-5, 1e-1);
    Domain.Log log = new Domain.Log(1e-5, 1e-1);
    Binning asLog = continuous(log, 10);
    assertTrue(chiSquareFailures(linear, asLog) > SEEDS - FAILURE_BUDGET);
  }

  @Test
  void oneMinusLogPutsHalfTheBetasAboveTwoNines() {
    Domain.OneMinusLog beta = new Domain.OneMinusLog(0.9, 0.999);
    SplittableRandom rng = new SplittableRandom(42);
    int above = 0;
    int n = 100_000;
    for (int i = 0; i < n; i++) {
      double b = (Double) beta.fromUnit(rng.nextDouble());
      assertTrue(b >= 0.9 && b <= 0.999, "beta " + b);
      if (b >= 0.99) {
        above++;
      }
    }
    double share = above / (double) n;
    assertTrue(Math.abs(share - 0.5) <= 0.02, "P(beta >= 0.99) = " + share);
  }

  @Test
  void boundsAndLegalValuesHoldAtTheExtremesOfTheUnitInterval() {
    double[] us = {0, 1e-17, 0.5, Math.nextDown(1.0)};
    for (double u : us) {
      int p = (Integer) new Domain.Pow2(16, 1024).fromUnit(u);
      assertTrue(Integer.bitCount(p) == 1 && p >= 16 && p <= 1024, "pow2 " + p);
      int units = (Integer) new Domain.IntLog(16, 1024).fromUnit(u);
      assertTrue(units >= 16 && units <= 1024, "intLog " + units);
      double lr = (Double) new Domain.Log(1e-4, 1e-2).fromUnit(u);
      assertTrue(lr >= 1e-4 && lr <= 1e-2, "log " + lr);
      double b = (Double) new Domain.OneMinusLog(0.9, 0.999).fromUnit(u);
      assertTrue(b >= 0.9 && b <= 0.999, "beta " + b);
    }
    assertEquals(16, new Domain.Pow2(16, 1024).fromUnit(0.0));
    assertEquals(1024, new Domain.Pow2(16, 1024).fromUnit(Math.nextDown(1.0)));
    assertThrows(IllegalArgumentException.class, () -> new Domain.Log(1, 2).fromUnit(1.0));
    assertThrows(IllegalArgumentException.class, () -> new Domain.Log(1, 2).fromUnit(Double.NaN));
  }

  @Test
  void toUnitInvertsFromUnit() {
    for (Domain d :
        List.of(
            new Domain.Linear(-1, 1),
            new Domain.Log(1e-6, 1),
            new Domain.OneMinusLog(0.5, 0.9999))) {
      for (double u = 0; u < 1; u += 0.0625) {
        assertEquals(u, d.toUnit(d.fromUnit(u)), 1e-9, d.describe());
      }
    }
  }

  @Test
  void constructorsNameTheFieldTheRuleAndTheValue() {
    var e = assertThrows(IllegalArgumentException.class, () -> new Domain.Log(-0.001, 1));
    assertEquals("low: must be > 0 on a log scale, got -0.001", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new Domain.Linear(Double.NaN, 1));
    assertThrows(IllegalArgumentException.class, () -> new Domain.Linear(1, 1));
    assertThrows(IllegalArgumentException.class, () -> new Domain.OneMinusLog(0.9, 1.0));
    assertThrows(IllegalArgumentException.class, () -> new Domain.Pow2(16, 1000));
    assertThrows(IllegalArgumentException.class, () -> new Domain.IntLog(0, 10));
    assertThrows(IllegalArgumentException.class, () -> new Domain.Choice(List.of()));
    assertThrows(IllegalArgumentException.class, () -> new Domain.Choice(List.of("a", "a")));
  }

  @Test
  void searchSpaceChecksConditionsAndOrdersParentsFirst() {
    Parameter beta1 =
        new Parameter(
            "beta1",
            new Domain.OneMinusLog(0.8, 0.99),
            new Parameter.Condition("optimizer", List.of("adam")));
    Parameter opt = new Parameter("optimizer", new Domain.Choice(List.of("adam", "sgd")));
    SearchSpace s = new SearchSpace(List.of(beta1, opt));
    assertEquals(List.of("optimizer", "beta1"), s.names());
    var missing =
        assertThrows(IllegalArgumentException.class, () -> new SearchSpace(List.of(beta1)));
    assertTrue(missing.getMessage().startsWith("beta1.when: parent 'optimizer'"));
    Parameter badValue =
        new Parameter(
            "beta2",
            new Domain.OneMinusLog(0.9, 0.999),
            new Parameter.Condition("optimizer", List.of("adamw")));
    assertThrows(IllegalArgumentException.class, () -> new SearchSpace(List.of(opt, badValue)));
  }
}
