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

/**
 * Independent uniform draws in each parameter's transformed coordinate: the default, because with n
 * trials every parameter gets n distinct values whichever of them turns out to matter. Each
 * parameter draws from its own stream, seeded by its name, so adding a parameter leaves the others'
 * draws unchanged; inactive parameters still consume their draw to keep streams aligned.
 */
public final class RandomSampler implements Sampler {

  @Override
  public List<SortedMap<String, Object>> sample(
      SearchSpace space, Region region, int count, long seed) {
    Sampler.checkCount(count);
    Map<String, double[]> units = new HashMap<>();
    for (Parameter p : space.parameters()) {
      SplittableRandom rng = new SplittableRandom(Seeds.named(seed, p.name()));
      double[] u = new double[count];
      for (int i = 0; i < count; i++) {
        u[i] = rng.nextDouble();
      }
      units.put(p.name(), u);
    }
    List<SortedMap<String, Object>> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      Map<String, Double> row = new HashMap<>();
      for (Parameter p : space.parameters()) {
        row.put(p.name(), units.get(p.name())[i]);
      }
      out.add(Sampler.configuration(space, region, row));
    }
    return out;
  }

  @Override
  public String name() {
    return "random";
  }
}
