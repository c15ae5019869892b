package dev.caviar.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.caviar.space.Domain;
import dev.caviar.space.Parameter;
import dev.caviar.space.SearchSpace;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;

class SamplerCoverageTest {

  static final SearchSpace TWO_AXES =
      SearchSpace.of(
          new Parameter("x", new Domain.Linear(0, 3)),
          new Parameter("y", new Domain.Linear(0, 30)),
          new Parameter("on", new Domain.Fixed(true)));

  @Test
  void eachSamplerIsFoundByItsConfigName() {
    for (Sampler s : List.of(new RandomSampler(), new SobolSampler(), new GridSampler(0))) {
      assertEquals(s.getClass(), Sampler.named("study.sampler", s.name()).getClass());
    }
  }

  @Test
  void everySamplerRejectsANegativeCountAndGivesNothingForZero() {
    for (Sampler s : List.of(new RandomSampler(), new SobolSampler(), new GridSampler(0))) {
      assertThrows(
          IllegalArgumentException.class,
          () -> s.sample(TWO_AXES, TWO_AXES.initialRegion(), -1, 1),
          s.name());
      assertEquals(0, s.sample(TWO_AXES, TWO_AXES.initialRegion(), 0, 1).size(), s.name());
    }
  }

  @Test
  void anAutomaticGridHasTheLargestNWithNToTheNumericDimensionWithinTheCount() {
    // Two numeric axes (the fixed parameter is not one): 9 and 10 give 3 x 3, 8 gives 2 x 2.
    GridSampler grid = new GridSampler(0);
    List<SortedMap<String, Object>> nine = grid.sample(TWO_AXES, TWO_AXES.initialRegion(), 9, 1);
    assertEquals(9, nine.size());
    Set<Object> xs = new HashSet<>();
    nine.forEach(m -> xs.add(m.get("x")));
    assertEquals(Set.of(0.5, 1.5, 2.5), xs); // cell midpoints (i + 0.5) / 3 of [0, 3]
    assertEquals(Map.of("x", 0.5, "y", 5.0, "on", true), nine.get(0)); // in grid order
    assertEquals(9, grid.sample(TWO_AXES, TWO_AXES.initialRegion(), 10, 1).size());
    assertEquals(4, grid.sample(TWO_AXES, TWO_AXES.initialRegion(), 8, 1).size());
  }

  @Test
  void aGridLargerThanTheCountIsSubsampledBySeed() {
    GridSampler grid = new GridSampler(4); // 16 points
    List<SortedMap<String, Object>> a = grid.sample(TWO_AXES, TWO_AXES.initialRegion(), 5, 1);
    assertEquals(5, a.size());
    assertEquals(5, new HashSet<>(a).size());
    assertEquals(a, grid.sample(TWO_AXES, TWO_AXES.initialRegion(), 5, 1));
    assertNotEquals(a, grid.sample(TWO_AXES, TWO_AXES.initialRegion(), 5, 2));
  }

  @Test
  void aGridOfChoicesOnlyListsEveryValue() {
    SearchSpace s = SearchSpace.of(new Parameter("c", new Domain.Choice(List.of("a", "b", "c"))));
    List<SortedMap<String, Object>> out = new GridSampler(0).sample(s, s.initialRegion(), 5, 1);
    assertEquals(3, out.size());
  }

  @Test
  void gridPointsPerAxisMustNotBeNegative() {
    assertThrows(IllegalArgumentException.class, () -> new GridSampler(-1));
  }

  @Test
  void sobolOnAnEmptySpaceGivesCountEmptyConfigurations() {
    SearchSpace empty = SearchSpace.of();
    List<SortedMap<String, Object>> out =
        new SobolSampler().sample(empty, empty.initialRegion(), 3, 1);
    assertEquals(3, out.size());
    assertTrue(out.stream().allMatch(Map::isEmpty));
  }

  @Test
  void sobolIsDeterministicPerSeedAndStratifiesEachAxis() {
    SearchSpace s = SearchSpace.of(new Parameter("x", new Domain.Linear(0, 1)));
    List<SortedMap<String, Object>> a = new SobolSampler().sample(s, s.initialRegion(), 8, 3);
    assertEquals(a, new SobolSampler().sample(s, s.initialRegion(), 8, 3));
    assertNotEquals(a, new SobolSampler().sample(s, s.initialRegion(), 8, 4));
    // The first 8 points of a shifted Sobol sequence put one point in each eighth of the axis.
    Set<Integer> cells = new HashSet<>();
    a.forEach(m -> cells.add((int) (((Double) m.get("x")) * 8)));
    assertEquals(8, cells.size());
  }
}
