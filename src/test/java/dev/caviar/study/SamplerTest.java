package dev.caviar.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.caviar.space.Domain;
import dev.caviar.space.Parameter;
import dev.caviar.space.SearchSpace;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;

class SamplerTest {

  static final Parameter LR = new Parameter("learningRate", new Domain.Log(1e-4, 1e-1));
  static final Parameter UNITS = new Parameter("units", new Domain.IntLog(16, 1024));
  static final Parameter BATCH = new Parameter("batchSize", new Domain.Pow2(32, 512));
  static final Parameter OPT =
      new Parameter("optimizer", new Domain.Choice(List.of("sgd", "momentum", "adam")));
  static final Parameter MOMENTUM =
      new Parameter(
          "momentum",
          new Domain.OneMinusLog(0.8, 0.999),
          new Parameter.Condition("optimizer", List.of("momentum")));
  static final Parameter BETA1 =
      new Parameter(
          "beta1",
          new Domain.OneMinusLog(0.8, 0.99),
          new Parameter.Condition("optimizer", List.of("adam")));

  static final SearchSpace SPACE = SearchSpace.of(LR, UNITS, BATCH, OPT, MOMENTUM, BETA1);

  private static List<SortedMap<String, Object>> draw(Sampler s, SearchSpace space, long seed) {
    return s.sample(space, space.initialRegion(), 40, seed);
  }

  @Test
  void sameSeedSameTrialsOtherSeedOtherTrials() {
    for (Sampler s : List.of(new RandomSampler(), new SobolSampler())) {
      assertEquals(draw(s, SPACE, 7), draw(s, SPACE, 7), s.name());
      assertNotEquals(draw(s, SPACE, 7), draw(s, SPACE, 8), s.name());
    }
  }

  @Test
  void addingAParameterKeepsTheOthersDraws() {
    SearchSpace smaller = SearchSpace.of(LR, UNITS, OPT, MOMENTUM);
    List<SortedMap<String, Object>> a = draw(new RandomSampler(), smaller, 11);
    List<SortedMap<String, Object>> b = draw(new RandomSampler(), SPACE, 11);
    for (int i = 0; i < a.size(); i++) {
      for (String k : a.get(i).keySet()) {
        assertEquals(a.get(i).get(k), b.get(i).get(k), "trial " + i + " " + k);
      }
    }
  }

  @Test
  void inactiveConditionalParametersAreAbsent() {
    for (Sampler s : List.of(new RandomSampler(), new SobolSampler(), new GridSampler(2))) {
      for (SortedMap<String, Object> t : draw(s, SPACE, 3)) {
        String opt = (String) t.get("optimizer");
        assertEquals(opt.equals("momentum"), t.containsKey("momentum"), s.name() + " " + t);
        assertEquals(opt.equals("adam"), t.containsKey("beta1"), s.name() + " " + t);
        for (String k : t.keySet()) {
          assertTrue(SPACE.get(k).domain().contains(t.get(k)), k + "=" + t.get(k));
        }
      }
    }
  }

  @Test
  void gridTriesOnlyNValuesPerAxisWhileRandomTriesAll() {
    SearchSpace two = SearchSpace.of(LR, new Parameter("l2", new Domain.Log(1e-6, 1e-2)));
    List<SortedMap<String, Object>> grid =
        new GridSampler(5).sample(two, two.initialRegion(), 25, 1);
    List<SortedMap<String, Object>> rand =
        new RandomSampler().sample(two, two.initialRegion(), 25, 1);
    assertEquals(25, grid.size());
    assertEquals(5, distinct(grid, "learningRate"));
    assertEquals(25, distinct(rand, "learningRate"));
    // Grid points sit at the cell centres on the log scale: 10^(-4 + 3 * 0.1) first.
    assertEquals(
        Math.pow(10, -3.7),
        (Double) grid.stream().mapToDouble(m -> (Double) m.get("learningRate")).min().getAsDouble(),
        1e-12);
  }

  @Test
  void sobolCoversTheUnitSquareMoreEvenlyThanRandom() {
    SearchSpace two =
        SearchSpace.of(
            new Parameter("a", new Domain.Linear(0, 1)),
            new Parameter("b", new Domain.Linear(0, 1)));
    int sobolEmpty = 0;
    int randomEmpty = 0;
    for (long seed = 0; seed < 20; seed++) {
      sobolEmpty += emptyCells(new SobolSampler().sample(two, two.initialRegion(), 64, seed));
      randomEmpty += emptyCells(new RandomSampler().sample(two, two.initialRegion(), 64, seed));
    }
    // 64 random points leave about 64 / e = 23.5 of 64 cells empty; Sobol leaves far fewer.
    assertTrue(sobolEmpty * 3 < randomEmpty, sobolEmpty + " vs " + randomEmpty);
  }

  private static int emptyCells(List<SortedMap<String, Object>> pts) {
    boolean[] hit = new boolean[64];
    for (SortedMap<String, Object> p : pts) {
      int i = (int) ((Double) p.get("a") * 8);
      int j = (int) ((Double) p.get("b") * 8);
      hit[i * 8 + j] = true;
    }
    int empty = 0;
    for (boolean h : hit) {
      if (!h) {
        empty++;
      }
    }
    return empty;
  }

  private static int distinct(List<SortedMap<String, Object>> pts, String key) {
    return new HashSet<>(pts.stream().map(p -> p.get(key)).toList()).size();
  }

  @Test
  void seedsAreAPureFunctionOfTheirFields() {
    long a = Seeds.derive(1, Purpose.TRAIN, 2, 3, 4);
    assertEquals(a, Seeds.derive(1, Purpose.TRAIN, 2, 3, 4));
    List<Long> variants = new ArrayList<>();
    variants.add(Seeds.derive(2, Purpose.TRAIN, 2, 3, 4));
    variants.add(Seeds.derive(1, Purpose.SAMPLE, 2, 3, 4));
    variants.add(Seeds.derive(1, Purpose.TRAIN, 3, 2, 4));
    variants.add(Seeds.derive(1, Purpose.TRAIN, 2, 4, 3));
    variants.add(Seeds.derive(1, Purpose.TRAIN, 2, 3, 5));
    for (long v : variants) {
      assertNotEquals(a, v);
    }
    assertFalse(new HashSet<>(variants).size() < variants.size());
  }
}
