package dev.caviar.study;

import dev.caviar.space.ConfigName;
import dev.caviar.space.Parameter;
import dev.caviar.space.Region;
import dev.caviar.space.SearchSpace;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Draws whole configurations from a region. Implementations work in unit coordinates and let each
 * {@link dev.caviar.space.Domain} map them back to values, so every scale is sampled uniformly in
 * its transformed coordinate. A sampler is a pure function of its arguments.
 */
public interface Sampler {

  /**
   * Up to {@code count} configurations (exactly {@code count} for random and Sobol sampling);
   * inactive conditional parameters are absent.
   */
  List<SortedMap<String, Object>> sample(SearchSpace space, Region region, int count, long seed);

  /** The config name: random, grid or sobol. */
  String name();

  /** The samplers a config can name, in the order messages list them. */
  enum Kind implements ConfigName {
    RANDOM,
    SOBOL,
    GRID;

    Sampler create() {
      return switch (this) {
        case RANDOM -> new RandomSampler();
        case SOBOL -> new SobolSampler();
        case GRID -> new GridSampler(0);
      };
    }
  }

  /** The sampler a config names. */
  static Sampler named(String key, String name) {
    return ConfigName.parse(Kind.class, key, name).create();
  }

  /**
   * Turns one unit coordinate per parameter into a configuration, dropping parameters whose
   * condition does not hold. Parents precede children in {@link SearchSpace#parameters()}.
   */
  static SortedMap<String, Object> configuration(
      SearchSpace space, Region region, Map<String, Double> units) {
    SortedMap<String, Object> out = new TreeMap<>();
    for (Parameter p : space.parameters()) {
      if (p.condition() != null && !p.condition().holds(out)) {
        continue;
      }
      out.put(p.name(), region.domain(p.name()).fromUnit(units.get(p.name())));
    }
    return out;
  }

  /** Drops the parameters that are inactive in an already-built configuration. */
  static SortedMap<String, Object> activeOnly(SearchSpace space, Map<String, Object> values) {
    SortedMap<String, Object> out = new TreeMap<>();
    for (Parameter p : space.parameters()) {
      if (p.condition() != null && !p.condition().holds(out)) {
        continue;
      }
      out.put(p.name(), values.get(p.name()));
    }
    return out;
  }

  static void checkCount(int count) {
    if (!(count >= 0)) {
      throw new IllegalArgumentException("count: must be >= 0, got " + count);
    }
  }
}
