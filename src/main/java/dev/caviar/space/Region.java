package dev.caviar.space;

import java.io.Serializable;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The bounds of every parameter for one round: the initial domains, narrowed or widened by the
 * rounds before. A parameter's domain here always has the same scale as in the {@link SearchSpace}.
 */
public record Region(SortedMap<String, Domain> domains) implements Serializable {

  public Region(Map<String, Domain> domains) {
    this(new TreeMap<>(domains));
  }

  public Region {
    if (domains == null) {
      throw new IllegalArgumentException("region: domains are required");
    }
    domains = Collections.unmodifiableSortedMap(new TreeMap<>(domains));
  }

  public Domain domain(String name) {
    Domain d = domains.get(name);
    if (d == null) {
      throw new IllegalArgumentException("region: no parameter '" + name + "'");
    }
    return d;
  }

  /** A copy with one parameter's bounds replaced. */
  public Region with(String name, Domain domain) {
    TreeMap<String, Domain> m = new TreeMap<>(domains);
    m.put(name, domain);
    return new Region(m);
  }

  /** Checks that this region covers exactly the space's parameters, on the same scales. */
  public void checkAgainst(SearchSpace space) {
    for (Parameter p : space.parameters()) {
      Domain d = domains.get(p.name());
      if (d == null || d.getClass() != p.domain().getClass()) {
        throw new IllegalArgumentException(
            "region." + p.name() + ": must be on scale " + p.domain().scale() + ", got " + d);
      }
    }
    if (domains.size() != space.parameters().size()) {
      throw new IllegalArgumentException(
          "region: has parameters " + domains.keySet() + " but the space has " + space.names());
    }
  }
}
