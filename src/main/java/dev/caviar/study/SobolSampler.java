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
 * dimension per parameter in space order, randomised by a random digital shift (each coordinate's
 * binary digits XORed with a seeded mask per parameter), which keeps the net property of every
 * block of 2^m points exactly, unlike a shift modulo 1; so different seeds give different point
 * sets that keep the sequence's even coverage. Unlike {@link RandomSampler}, adding a parameter can
 * change the others' points: dimensions are assigned by position.
 */
public final class SobolSampler implements Sampler {

  /** Commons Math ships direction numbers for this many dimensions. */
  private static final int MAX_DIMENSIONS = 1000;

  /** Commons Math's Sobol points are multiples of 2^-52. */
  private static final double SCALE = 0x1p52;

  private static final long MASK = (1L << 52) - 1;

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
    // Start at index 0 (the all-zeros point): the first 2^m points form a net, and a skip to an
    // arbitrary index would break that stratification. The seeded shift randomises instead.
    long[] shift = new long[params.size()];
    for (int j = 0; j < shift.length; j++) {
      shift[j] = new SplittableRandom(Seeds.named(seed, params.get(j).name())).nextLong() & MASK;
    }
    List<SortedMap<String, Object>> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      double[] x = sobol.nextVector();
      Map<String, Double> row = new HashMap<>();
      for (int j = 0; j < shift.length; j++) {
        long bits = ((long) (x[j] * SCALE)) ^ shift[j];
        row.put(params.get(j).name(), bits / SCALE);
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
