package dev.caviar.study;

import dev.caviar.space.Parameter;
import dev.caviar.space.Region;
import dev.caviar.space.SearchSpace;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SplittableRandom;
import org.apache.commons.math3.random.SobolSequenceGenerator;

/**
 * A low-discrepancy sampler: Commons Math's Sobol sequence (Joe-Kuo direction numbers), one
 * dimension per parameter in space order, randomised by a Cranley-Patterson rotation (a seeded
 * shift per parameter, modulo 1) and a seeded skip, so different seeds give different point sets
 * that keep the sequence's even coverage. Unlike {@link RandomSampler}, adding a parameter can
 * change the others' points: dimensions are assigned by position.
 */
public final class SobolSampler implements Sampler {

  /** Commons Math ships direction numbers for this many dimensions. */
  private static final int MAX_DIMENSIONS = 1000;

  @Override
  public List<SortedMap<String, Object>> sample(
      SearchSpace space, Region region, int count, long seed) {
    Sampler.checkCount(count);
    List<Parameter> params = space.parameters();
    if (params.isEmpty()) {
      List<SortedMap<String, Object>> out = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        out.add(new java.util.TreeMap<>());
      }
      return out;
    }
    if (params.size() > MAX_DIMENSIONS) {
      throw new IllegalArgumentException(
          "sampler: sobol supports at most "
              + MAX_DIMENSIONS
              + " parameters, got "
              + params.size());
    }
    SobolSequenceGenerator sobol = new SobolSequenceGenerator(params.size());
    // The first point is all zeros; skipping a seeded amount also decorrelates rounds.
    sobol.skipTo(1 + new SplittableRandom(seed).nextInt(1 << 12));
    double[] shift = new double[params.size()];
    for (int j = 0; j < shift.length; j++) {
      shift[j] = new SplittableRandom(Seeds.named(seed, params.get(j).name())).nextDouble();
    }
    List<SortedMap<String, Object>> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      double[] x = sobol.nextVector();
      Map<String, Double> row = new HashMap<>();
      for (int j = 0; j < shift.length; j++) {
        double u = x[j] + shift[j];
        u -= Math.floor(u);
        row.put(params.get(j).name(), Math.min(u, Math.nextDown(1.0)));
      }
      out.add(Sampler.configuration(space, region, row));
    }
    return out;
  }

  @Override
  public String name() {
    return "sobol";
  }
}
