package dev.caviar.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PackingTest {
  private static final Packing.Plan PLAN =
      new Packing.Plan(
          3, 4, Standardizer.of(new double[] {1, 2, 3}, new double[] {2, 2, 2}), 11, 12, 0.3);

  private static List<Packing.ScaledRow> scaled(List<Example> rows) {
    List<Packing.ScaledRow> out = new ArrayList<>();
    rows.forEach(e -> out.add(Packing.ScaledRow.of(e, PLAN)));
    return out;
  }

  private static List<Example> rows(int n, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    List<Example> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      rows.add(
          new Example(
              rng.nextLong(),
              rng.nextInt(4),
              new double[] {rng.nextDouble(), rng.nextDouble(), rng.nextDouble()}));
    }
    return rows;
  }

  @Test
  void packsInIdOrderWithScaledFeaturesAndSplitsTrainFromValidation() {
    List<Example> rows = rows(200, 1);
    PackedShard p = Packing.pack(0, scaled(rows), PLAN, false);
    assertEquals(200, p.rows());
    assertEquals(200, p.trainRows().length + p.validationRows().length);
    for (int r = 1; r < p.rows(); r++) {
      assertTrue(p.ids()[r - 1] <= p.ids()[r]);
    }
    Example first =
        rows.stream().min(java.util.Comparator.comparingLong(Example::id)).orElseThrow();
    assertEquals((float) ((first.features()[2] - 3) / 2), p.features()[2]);
    // Validation share near 0.3: 200 rows, binomial sd ~ 0.032; 5 sd of slack.
    double share = p.validationRows().length / 200.0;
    assertTrue(share > 0.14 && share < 0.46, "validation share " + share);
  }

  @Test
  void mergingPartsGivesWhatPackingEverythingAtOnceGives() {
    List<Example> rows = rows(300, 2);
    PackedShard whole = Packing.pack(PackedShard.WHOLE, scaled(rows), PLAN, false);
    List<PackedShard> parts = new ArrayList<>();
    for (int p = 0; p < 3; p++) {
      parts.add(Packing.pack(p, scaled(rows.subList(p * 100, p * 100 + 100)), PLAN, false));
    }
    assertEquals(whole, Packing.merge(parts, 3, 4));
    assertEquals(whole, Packing.merge(List.of(parts.get(2), parts.get(0), parts.get(1)), 3, 4));
  }

  @Test
  void testSetsScoreEveryRowAndAllRowsTrainingTrainsOnEveryRow() {
    PackedShard test = Packing.pack(PackedShard.WHOLE, scaled(rows(50, 3)), PLAN, true);
    assertEquals(0, test.trainRows().length);
    assertEquals(50, test.validationRows().length);
    PackedShard all = test.allRowsTraining();
    assertEquals(50, all.trainRows().length);
    assertEquals(0, all.validationRows().length);
    assertArrayEquals(test.features(), all.features());
    assertEquals(50L * (3 * 4 + 4 + 8 + 4), all.bytes());
  }

  @Test
  void packedShardRejectsLabelsOutsideTheClasses() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new PackedShard(
                    0,
                    1,
                    2,
                    new float[] {0},
                    new int[] {2},
                    new int[] {0},
                    new int[0],
                    new long[] {7}));
    assertTrue(e.getMessage().contains("row 0 must be in 0..1, got 2"), e.getMessage());
  }
}
