package dev.caviar.space;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every scale at its edges: bounds included and the next value out excluded, the exact values at u
 * = 0 and just below 1, the coordinates, the outward rounding of withBounds, names and forms.
 */
class DomainEdgesTest {
  private static final double TOP = Math.nextDown(1.0);

  @Test
  void numericScalesContainTheirBoundsAndNothingBeyond() {
    List<Domain> all =
        List.of(
            new Domain.Linear(-1, 2),
            new Domain.Log(1e-4, 1e-2),
            new Domain.OneMinusLog(0.9, 0.999),
            new Domain.IntUniform(2, 5),
            new Domain.IntLog(3, 40),
            new Domain.Pow2(8, 64));
    for (Domain d : all) {
      Domain.Numeric n = (Domain.Numeric) d;
      Object lo =
          d instanceof Domain.Linear || d instanceof Domain.Log || d instanceof Domain.OneMinusLog
              ? (Object) n.lowBound()
              : (Object) (int) n.lowBound();
      Object hi = lo instanceof Double ? (Object) n.highBound() : (Object) (int) n.highBound();
      assertTrue(d.contains(lo), d.describe() + " contains its low");
      assertTrue(d.contains(hi), d.describe() + " contains its high");
      assertEquals(lo, d.fromUnit(0), d.describe() + " at u = 0");
      if (lo instanceof Double) {
        double top = (double) d.fromUnit(TOP);
        assertEquals(n.highBound(), top, 1e-9 * n.highBound(), d.describe() + " at u below 1");
        assertTrue(top <= n.highBound(), "clamped to the high bound");
      } else {
        assertEquals(hi, d.fromUnit(TOP), d.describe() + " at u just below 1");
      }
      if (lo instanceof Double) {
        assertFalse(d.contains(Math.nextDown(n.lowBound())));
        assertFalse(d.contains(Math.nextUp(n.highBound())));
      } else {
        assertFalse(d.contains((int) n.lowBound() - 1));
        assertFalse(d.contains((int) n.highBound() + 1));
        assertFalse(d.contains(n.lowBound()), "a double is not an integer value");
      }
      assertFalse(d.contains("x"));
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> d.fromUnit(1.0));
      assertEquals("u: must be in [0, 1), got 1.0", e.getMessage());
      assertThrows(IllegalArgumentException.class, () -> d.fromUnit(-0.0001));
    }
    assertFalse(new Domain.Pow2(8, 64).contains(24), "not a power of two");
  }

  @Test
  void coordinatesAndTheirIntervals() {
    Domain.Log log = new Domain.Log(1e-4, 1e-2);
    assertEquals(-3, log.coordinate(1e-3), 1e-12);
    assertEquals(1e-3, log.value(-3), 1e-15);
    assertEquals(0.5, log.toUnit(1e-3), 1e-12);
    Domain.OneMinusLog b = new Domain.OneMinusLog(0.9, 0.999);
    assertEquals(2, b.coordinate(0.99), 1e-12);
    assertEquals(0.99, b.value(2), 1e-12);
    assertEquals(0.5, b.toUnit(0.99), 1e-9);
    Domain.IntUniform i = new Domain.IntUniform(2, 5);
    assertEquals(1.5, i.lowCoordinate());
    assertEquals(5.5, i.highCoordinate());
    assertEquals(0.125, i.toUnit(2), 1e-12);
    assertEquals(3, i.value(3));
    Domain.IntLog il = new Domain.IntLog(3, 40);
    assertEquals(Math.log10(2.5), il.lowCoordinate(), 1e-12);
    assertEquals(Math.log10(40.5), il.highCoordinate(), 1e-12);
    assertEquals(100, il.value(2), 1e-9);
    Domain.Pow2 p = new Domain.Pow2(8, 64);
    assertEquals(2.5, p.lowCoordinate());
    assertEquals(6.5, p.highCoordinate());
    assertEquals(5, p.coordinate(32), 1e-12);
    assertEquals(32, p.value(5), 1e-9);
    assertEquals(0.5, new Domain.Linear(-1, 3).toUnit(1), 1e-12);
    assertEquals(Double.NEGATIVE_INFINITY, new Domain.Linear(0, 1).naturalLimits()[0]);
    assertArrayEquals(new double[] {-300, 300}, log.naturalLimits());
    assertArrayEquals(new double[] {1e-12, 12}, b.naturalLimits());
    assertArrayEquals(new double[] {0, 9}, il.naturalLimits());
    assertArrayEquals(new double[] {0, 30}, p.naturalLimits());
    assertEquals(Integer.MAX_VALUE / 2.0, i.naturalLimits()[1]);
  }

  @Test
  void withBoundsRoundsIntegerScalesOutward() {
    assertEquals(new Domain.IntUniform(2, 6), new Domain.IntUniform(0, 9).withBounds(2.3, 5.2));
    assertEquals(new Domain.IntUniform(3, 3), new Domain.IntUniform(0, 9).withBounds(3, 3));
    assertEquals(new Domain.IntLog(1, 8), new Domain.IntLog(1, 100).withBounds(0.2, 7.5));
    assertEquals(new Domain.IntLog(4, 4), new Domain.IntLog(1, 100).withBounds(4, 4));
    assertEquals(new Domain.Pow2(16, 128), new Domain.Pow2(1, 1024).withBounds(20, 100));
    assertEquals(new Domain.Pow2(1, 2), new Domain.Pow2(1, 1024).withBounds(0.3, 1.5));
    assertEquals(new Domain.Pow2(32, 32), new Domain.Pow2(1, 1024).withBounds(32, 32));
    assertEquals(new Domain.Log(0.01, 0.1), new Domain.Log(1e-4, 1).withCoordinates(-2, -1));
    assertEquals(new Domain.Linear(1, 2), new Domain.Linear(0, 5).withBounds(1, 2));
    assertEquals(
        0.99,
        ((Domain.OneMinusLog) new Domain.OneMinusLog(0.5, 0.9999).withCoordinates(2, 3)).low(),
        1e-12);
  }

  @Test
  void namesAndForms() {
    assertEquals("linear[-1, 2]", new Domain.Linear(-1, 2).describe());
    assertEquals("log[0.0001, 0.01]", new Domain.Log(1e-4, 1e-2).describe());
    assertEquals("oneMinusLog[0.9, 0.999]", new Domain.OneMinusLog(0.9, 0.999).describe());
    assertEquals("int[2, 5]", new Domain.IntUniform(2, 5).describe());
    assertEquals("intLog[3, 40]", new Domain.IntLog(3, 40).describe());
    assertEquals("pow2[8, 64]", new Domain.Pow2(8, 64).describe());
    assertEquals("log[1.235E-7, 1]", new Domain.Log(1.23456e-7, 1).describe());
    assertEquals("choice[a, b]", new Domain.Choice(List.of("a", "b")).describe());
    assertEquals("fixed(3)", new Domain.Fixed(3).describe());
    assertEquals("choice", new Domain.Choice(List.of("a")).scale());
    assertEquals("fixed", new Domain.Fixed(true).scale());
  }

  @Test
  void choiceAndFixed() {
    Domain.Choice c = new Domain.Choice(List.of("relu", "tanh", 3, true));
    assertEquals("relu", c.fromUnit(0));
    assertEquals(true, c.fromUnit(TOP));
    assertEquals("tanh", c.fromUnit(0.25));
    assertEquals(0.625, c.toUnit(3));
    assertTrue(Double.isNaN(c.toUnit("elu")));
    assertTrue(c.contains(3) && !c.contains("elu"));
    assertEquals(List.of("relu", true), c.retain(List.of(true, "relu", "x")).values());
    Domain.Fixed f = new Domain.Fixed("adam");
    assertEquals("adam", f.fromUnit(0.7));
    assertEquals(0.5, f.toUnit("adam"));
    assertTrue(Double.isNaN(f.toUnit("sgd")));
    assertTrue(f.contains("adam") && !f.contains("sgd"));
    assertEquals(1.5, Domain.Numeric.number(1.5));
    assertEquals(2.0, Domain.Numeric.number(2));
    assertEquals(
        "expected a number, got x",
        assertThrows(IllegalArgumentException.class, () -> Domain.Numeric.number("x"))
            .getMessage());
  }

  @Test
  void constructorsAcceptTheirEdgesAndRejectTheNextValue() {
    new Domain.IntUniform(4, 4);
    new Domain.IntLog(1, 1);
    new Domain.Pow2(1, 1);
    new Domain.Fixed(2.5);
    rejects("high: must be >= low (4), got 3", () -> new Domain.IntUniform(4, 3));
    rejects("low: must be >= 1 on an intLog scale, got 0", () -> new Domain.IntLog(0, 3));
    rejects("high: must be >= low (4), got 3", () -> new Domain.IntLog(4, 3));
    rejects("low: must be a power of two >= 1, got 0", () -> new Domain.Pow2(0, 4));
    rejects("low: must be a power of two >= 1, got 6", () -> new Domain.Pow2(6, 8));
    rejects("high: must be a power of two >= 1, got 12", () -> new Domain.Pow2(4, 12));
    rejects("high: must be a power of two >= 1, got -8", () -> new Domain.Pow2(4, -8));
    rejects("high: must be >= low (8), got 4", () -> new Domain.Pow2(8, 4));
    rejects("high: must be > low (1.0), got 1.0", () -> new Domain.Linear(1, 1));
    rejects("high: must be > low (1.0), got 1.0", () -> new Domain.Log(1, 1));
    rejects("low: must be a finite number, got NaN", () -> new Domain.Linear(Double.NaN, 1));
    rejects("high: must be a finite number, got Infinity", () -> new Domain.Log(1, 1 / 0.0));
    rejects("low: must be > 0 on a log scale, got 0.0", () -> new Domain.Log(0, 1));
    rejects(
        "low: must be in (0, 1) on a oneMinusLog scale, got 0.0",
        () -> new Domain.OneMinusLog(0, 0.9));
    rejects(
        "high: must be in (0, 1) on a oneMinusLog scale, got 1.0",
        () -> new Domain.OneMinusLog(0.5, 1));
    rejects(
        "high: must be in (0, 1) on a oneMinusLog scale, got 0.0",
        () -> new Domain.OneMinusLog(0.5, 0));
    rejects("high: must be > low (0.9), got 0.9", () -> new Domain.OneMinusLog(0.9, 0.9));
    rejects("values: must list at least one value, got []", () -> new Domain.Choice(List.of()));
    rejects("values: must list at least one value, got []", () -> new Domain.Choice(null));
    rejects("values: must be distinct, got [a, a]", () -> new Domain.Choice(List.of("a", "a")));
    rejects(
        "values: must be strings, numbers or booleans, got NaN",
        () -> new Domain.Choice(List.of(Double.NaN)));
    rejects("value: must be a string, number or boolean, got 1", () -> new Domain.Fixed(1L));
  }

  private static void rejects(String message, Runnable build) {
    assertEquals(message, assertThrows(IllegalArgumentException.class, build::run).getMessage());
  }
}
