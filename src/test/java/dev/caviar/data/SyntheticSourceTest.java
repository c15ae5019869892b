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
}
