package dev.caviar.study;

import dev.caviar.space.Domain;
import dev.caviar.space.Parameter;
import dev.caviar.space.Region;
import dev.caviar.space.SearchSpace;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The baseline to compare against: N points per numeric axis at the cell centres of each
 * parameter's own scale, every value of a choice, the Cartesian product of the axes. With 25 trials
 * and two parameters a 5x5 grid tries only five values of each, which is why {@link RandomSampler}
 * is the default. When the grid has more points than asked, a seeded subset is taken.
 */
public final class GridSampler implements Sampler {

  private final int pointsPerAxis;

  /**
   * @param pointsPerAxis points per numeric axis; 0 chooses the largest N with N^d <= count
   */
  public GridSampler(int pointsPerAxis) {
    if (!(pointsPerAxis >= 0)) {
      throw new IllegalArgumentException("pointsPerAxis: must be >= 0, got " + pointsPerAxis);
    }
    this.pointsPerAxis = pointsPerAxis;
  }

  @Override
  public List<SortedMap<String, Object>> sample(
      SearchSpace space, Region region, int count, long seed) {
    Sampler.checkCount(count);
    int numeric = 0;
    for (Parameter p : space.parameters()) {
      if (region.domain(p.name()) instanceof Domain.Numeric) {
        numeric++;
      }
    }
    int n = pointsPerAxis;
    if (n == 0) {
      n = numeric == 0 ? 1 : (int) Math.max(1, Math.floor(Math.pow(count, 1.0 / numeric) + 1e-9));
    }
    List<SortedMap<String, Object>> grid = new ArrayList<>();
    grid.add(new TreeMap<>());
    for (Parameter p : space.parameters()) {
      Domain d = region.domain(p.name());
      List<Object> axis = new ArrayList<>();
      if (d instanceof Domain.Choice c) {
        axis.addAll(c.values());
      } else {
        LinkedHashSet<Object> distinct = new LinkedHashSet<>();
        int k = d instanceof Domain.Numeric ? n : 1;
        for (int i = 0; i < k; i++) {
          distinct.add(d.fromUnit((i + 0.5) / k));
        }
        axis.addAll(distinct);
      }
      List<SortedMap<String, Object>> next = new ArrayList<>();
      for (SortedMap<String, Object> g : grid) {
        for (Object v : axis) {
          SortedMap<String, Object> m = new TreeMap<>(g);
          m.put(p.name(), v);
          next.add(m);
        }
      }
      grid = next;
    }
    LinkedHashSet<SortedMap<String, Object>> active = new LinkedHashSet<>();
    for (SortedMap<String, Object> g : grid) {
      active.add(Sampler.activeOnly(space, g));
    }
    List<SortedMap<String, Object>> out = new ArrayList<>(active);
    if (out.size() > count) {
      Collections.shuffle(out, new Random(seed));
      out = new ArrayList<>(out.subList(0, count));
    }
    return out;
  }

  @Override
  public String name() {
    return "grid";
  }
}
