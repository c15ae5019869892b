package dev.caviar.space;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScalesTest {
  private static final List<Domain> EXAMPLES =
      List.of(
          new Domain.Linear(0, 0.3),
          new Domain.Log(1e-4, 1e-1),
          new Domain.OneMinusLog(0.9, 0.999),
          new Domain.IntUniform(1, 4),
          new Domain.IntLog(16, 256),
          new Domain.Pow2(32, 256),
          new Domain.Choice(List.of("sgd", "adam")),
          new Domain.Choice(List.of(1, 2.5, true)),
          new Domain.Fixed("he"));

  @Test
  void everyDomainSurvivesTheBoundsRoundTrip() {
    for (Domain d : EXAMPLES) {
      assertEquals(d, Scales.fromBounds(Scales.toBounds(d)), d.describe());
    }
  }

  @Test
  void everyScaleNameIsListedOnceAndNamesItsRecord() {
    List<String> names = Scales.names();
    assertEquals(names.size(), Scales.ALL.size());
    assertEquals(names.size(), new java.util.HashSet<>(names).size());
    for (Domain d : EXAMPLES) {
      assertTrue(names.contains(d.scale()), d.scale());
      assertEquals(d.scale(), Scales.of(d).name());
    }
  }

  @Test
  void numericScalesBuildTheirRecordWithTheBoundsInTheirOwnType() {
    assertEquals(new Domain.Log(1e-4, 1e-2), Scales.numeric("log", 1e-4, 1e-2));
    assertEquals(new Domain.Pow2(32, 256), Scales.numeric("pow2", 32, 256));
    assertEquals(16, Scales.named("intLog").bound(16.0));
    assertEquals(0.5, Scales.named("linear").bound(0.5));
    assertTrue(Scales.named("int").integer());
    assertFalse(Scales.named("oneMinusLog").integer());
  }

  @Test
  void anUnknownScaleNamesTheLegalOnes() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Scales.named("logarithmic"));
    assertEquals(
        "scale: must be one of linear, log, oneMinusLog, int, intLog, pow2, choice, fixed,"
            + " got 'logarithmic'",
        e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Scales.named("choice").domain(1, 2));
  }

  @Test
  void boundsFromJsonReadersAreNormalised() {
    Domain d = Scales.fromBounds(Map.of("scale", "choice", "values", List.of(3L, 0.5, "x")));
    assertEquals(new Domain.Choice(List.of(3, 0.5, "x")), d);
    assertEquals(
        new Domain.IntLog(16, 256),
        Scales.fromBounds(Map.of("scale", "intLog", "low", 16.0, "high", 256)));
    assertThrows(
        IllegalArgumentException.class, () -> Scales.fromBounds(Map.of("scale", "log", "low", 1)));
  }

  @Test
  void widthsAreInTheScalesOwnUnit() {
    assertEquals("3.00 dec.", Scales.named("log").widthText(1e-4, 1e-1).orElseThrow());
    assertEquals("3 doublings", Scales.named("pow2").widthText(32, 256).orElseThrow());
    assertEquals(
        "2.00 dec. of 1-x", Scales.named("oneMinusLog").widthText(0.9, 0.999).orElseThrow());
    assertTrue(Scales.named("linear").widthText(0, 1).isEmpty());
    assertTrue(Scales.named("oneMinusLog").logAxis());
    assertEquals(Scales.Axis.CATEGORIES, Scales.named("fixed").axis());
  }
}
