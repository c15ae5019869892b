package dev.caviar.space;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The searched parameters, ordered so that every condition's parent comes before its children.
 * Validated at birth: unique names, parents exist and are choices, condition values are among the
 * parent's values, no cycles.
 */
public record SearchSpace(List<Parameter> parameters) implements Serializable {

  public SearchSpace {
    if (parameters == null) {
      throw new IllegalArgumentException("space: parameters are required");
    }
    Map<String, Parameter> byName = new LinkedHashMap<>();
    for (Parameter p : parameters) {
      if (byName.put(p.name(), p) != null) {
        throw new IllegalArgumentException(p.name() + ": declared twice");
      }
    }
    for (Parameter p : parameters) {
      Parameter.Condition c = p.condition();
      if (c == null) {
        continue;
      }
      Parameter parent = byName.get(c.parent());
      if (parent == null) {
        throw new IllegalArgumentException(
            p.name()
                + ".when: parent '"
                + c.parent()
                + "' is not a searched parameter (known: "
                + byName.keySet()
                + ")");
      }
      if (!(parent.domain() instanceof Domain.Choice || parent.domain() instanceof Domain.Fixed)) {
        throw new IllegalArgumentException(
            p.name()
                + ".when: parent '"
                + c.parent()
                + "' must be a choice, got "
                + parent.domain().describe());
      }
      for (Object v : c.values()) {
        if (!parent.domain().contains(v)) {
          throw new IllegalArgumentException(
              p.name()
                  + ".when."
                  + c.parent()
                  + ": value "
                  + v
                  + " is not one of "
                  + parent.domain().describe());
        }
      }
    }
    // Order parents before children; a cycle leaves some parameter unplaceable.
    List<Parameter> ordered = new ArrayList<>();
    Set<String> placed = new HashSet<>();
    while (ordered.size() < byName.size()) {
      boolean progress = false;
      for (Parameter p : byName.values()) {
        if (!placed.contains(p.name())
            && (p.condition() == null || placed.contains(p.condition().parent()))) {
          ordered.add(p);
          placed.add(p.name());
          progress = true;
        }
      }
      if (!progress) {
        List<String> stuck = new ArrayList<>(byName.keySet());
        stuck.removeAll(placed);
        throw new IllegalArgumentException(
            stuck.get(0) + ".when: conditions form a cycle " + stuck);
      }
    }
    parameters = List.copyOf(ordered);
  }

  public static SearchSpace of(Parameter... parameters) {
    return new SearchSpace(List.of(parameters));
  }

  public Parameter get(String name) {
    for (Parameter p : parameters) {
      if (p.name().equals(name)) {
        return p;
      }
    }
    throw new IllegalArgumentException("space: no parameter '" + name + "'");
  }

  public boolean has(String name) {
    return parameters.stream().anyMatch(p -> p.name().equals(name));
  }

  public List<String> names() {
    return parameters.stream().map(Parameter::name).toList();
  }

  /** The starting region: every parameter's initial domain. */
  public Region initialRegion() {
    Map<String, Domain> m = new LinkedHashMap<>();
    for (Parameter p : parameters) {
      m.put(p.name(), p.domain());
    }
    return new Region(m);
  }
}
