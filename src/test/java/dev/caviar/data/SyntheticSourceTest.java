package dev.caviar.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.caviar.config.DataSpec;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SyntheticSourceTest {
  private static final DataSpec.Synthetic SPEC = new DataSpec.Synthetic(1000, 6, 4, 0.3);

  @Test
  void eachRowIsAPureFunctionOfSeedAndIndex() {
    SyntheticSource.Problem a = SyntheticSource.Problem.of(SPEC, 5);
    SyntheticSource.Problem b = SyntheticSource.Problem.of(SPEC, 5);
    Example x = a.row(5, 17);
    Example y = b.row(5, 17);
    assertEquals(17, x.id());
    assertEquals(x.label(), y.label());
    assertArrayEquals(x.features(), y.features());
    assertFalse(
        Arrays.equals(x.features(), SyntheticSource.Problem.of(SPEC, 6).row(6, 17).features()));
  }

  @Test
  void everyClassAppearsAndLabelsStayInRange() {
    SyntheticSource.Problem p = SyntheticSource.Problem.of(SPEC, 1);
    int[] counts = new int[4];
    for (int i = 0; i < 1000; i++) {
      Example e = p.row(1, i);
      counts[e.label()]++;
      for (double v : e.features()) {
        assertTrue(Double.isFinite(v));
      }
    }
    // Uniform classes: 250 expected each, binomial sd ~ 13.7; 6 sd of slack.
    for (int c : counts) {
      assertTrue(c > 168 && c < 332, Arrays.toString(counts));
    }
  }

  @Test
  void difficultyWidensTheBlobs() {
    DataSpec.Synthetic easy = new DataSpec.Synthetic(1000, 6, 4, 0);
    DataSpec.Synthetic hard = new DataSpec.Synthetic(1000, 6, 4, 1);
    assertTrue(
        SyntheticSource.Problem.of(easy, 1).noise() < SyntheticSource.Problem.of(hard, 1).noise());
    assertEquals(0.0, SyntheticSource.Problem.of(easy, 1).labelNoise());
  }

  @Test
  void aConceptShiftRotatesTheLabelsFromItsRowOnAndKeepsTheInputs() {
    DataSpec.Synthetic shifted = new DataSpec.Synthetic(1000, 6, 4, 0.3, 500);
    SyntheticSource.Problem plain = SyntheticSource.Problem.of(SPEC, 3);
    SyntheticSource.Problem drift = SyntheticSource.Problem.of(shifted, 3);
    for (int i = 0; i < 1000; i++) {
      Example before = plain.row(3, i);
      Example after = drift.row(3, i);
      assertArrayEquals(before.features(), after.features());
      int expected = i < 500 ? before.label() : (before.label() + 1) % 4;
      assertEquals(expected, after.label(), "row " + i);
    }
  }

  @Test
  void theFeedersCsvHoldsTheStudysRows() {
    DataSpec.Synthetic shifted = new DataSpec.Synthetic(1000, 3, 4, 0.3, 2);
    String[] lines = SyntheticFiles.csv(shifted, 9, 1, 4).split("\n");
    assertEquals("label,x0,x1,x2", lines[0]);
    assertEquals(4, lines.length);
    SyntheticSource.Problem p = SyntheticSource.Problem.of(shifted, seedOf(9));
    for (int i = 1; i < 4; i++) {
      Example e = p.row(seedOf(9), i);
      String[] cells = lines[i].split(",");
      assertEquals(e.label(), Integer.parseInt(cells[0]), "row " + i);
      assertEquals(e.features()[2], Double.parseDouble(cells[3]), 1e-5 * Math.abs(e.features()[2]));
    }
  }

  private static long seedOf(long studySeed) {
    return dev.caviar.study.Seeds.derive(
        studySeed, dev.caviar.study.Purpose.SYNTHETIC_DATA, 0, 0, 0);
  }
}
