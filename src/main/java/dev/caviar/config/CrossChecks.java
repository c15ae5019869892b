package dev.caviar.config;

import dev.caviar.config.Hyperparameters.Hyperparameter;
import dev.caviar.space.Domain;
import dev.caviar.space.Parameter;
import dev.caviar.space.SearchSpace;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Rules between hyperparameters, checked when a {@link StudySpec} is born so that no trial fails
 * for a reason the config already showed (issue 10: {@code decay = exponential} with no rate made
 * every trial FAIL after Spark had started).
 *
 * <ul>
 *   <li>a hyperparameter the trainer uses only under some values of a parent ({@code beta1} under
 *       {@code optimizer = adam}) must be able to meet one of them: {@code beta1} with {@code
 *       optimizer = sgd} is an error, not a silently ignored search;
 *   <li>when the parent is searched, the child searched needs a {@code when} on the parent, so that
 *       its values are never noise in the narrowing;
 *   <li>the engine's own rules that depend on the parent ({@code decayRate} in (0, 1] for {@code
 *       exponential}) are asked of the engine, on every value the child can take (fixed, default,
 *       bounds, limits, choices), so the rule is written once, in {@code nn}.
 * </ul>
 */
final class CrossChecks {
  private CrossChecks() {}

  static void check(Map<String, Object> model, SearchSpace space) {
    for (Hyperparameter h : Hyperparameters.ALL) {
      if (h.parent() == null) {
        continue;
      }
      if (model.containsKey(h.name()) || space.has(h.name())) {
        usable(h, model, space);
      }
      engineRules(h, model, space);
    }
    batchNormRule(model, space);
  }

  /**
   * Batch norm needs mini-batches of two or more (a batch of one has no variance): asked of the
   * engine for every batch size a trial can get while batch norm can be on.
   */
  private static void batchNormRule(Map<String, Object> model, SearchSpace space) {
    Hyperparameter batchSize = Hyperparameters.get("batchSize", "batchSize");
    if (!parentValues("batchNorm", model, space).contains(true)
        || !(model.containsKey(batchSize.name()) || space.has(batchSize.name()))) {
      return;
    }
    for (Map.Entry<String, Object> probe : values(batchSize, model, space)) {
      try {
        Hyperparameters.toSpec(
            Map.of("batchNorm", true, "layers", 1, batchSize.name(), probe.getValue()), 1, 2, 1, 0);
      } catch (IllegalArgumentException e) {
        String m = e.getMessage();
        throw new IllegalArgumentException(
            probe.getKey() + ": " + (m.contains(": ") ? m.substring(m.indexOf(": ") + 2) : m), e);
      }
    }
  }

  /** The values the parent can take: fixed, searched (each choice) or its default. */
  private static List<Object> parentValues(
      String parent, Map<String, Object> model, SearchSpace s) {
    if (model.containsKey(parent)) {
      return List.of(model.get(parent));
    }
    if (s.has(parent)) {
      Domain d = s.get(parent).domain();
      return d instanceof Domain.Choice c
          ? c.values()
          : d instanceof Domain.Fixed f ? List.of(f.value()) : List.of();
    }
    Object dflt = Hyperparameters.get(parent, parent).defaultValue();
    return dflt == null ? List.of() : List.of(dflt);
  }

  private static String parentKey(String parent, Map<String, Object> model, SearchSpace s) {
    return model.containsKey(parent)
        ? "model." + parent
        : s.has(parent) ? "space." + parent : parent + " (default)";
  }

  private static String keyOf(Hyperparameter h, Map<String, Object> model) {
    return (model.containsKey(h.name()) ? "model." : "space.") + h.name();
  }

  /** The parent values under which the child is both active and used. */
  private static List<Object> using(Hyperparameter h, Map<String, Object> model, SearchSpace s) {
    List<Object> out = new ArrayList<>();
    Parameter.Condition c = s.has(h.name()) ? s.get(h.name()).condition() : null;
    for (Object v : parentValues(h.parent(), model, s)) {
      boolean active = c == null || !c.parent().equals(h.parent()) || c.values().contains(v);
      if (active && h.usedWhen().contains(v)) {
        out.add(v);
      }
    }
    return out;
  }

  private static void usable(Hyperparameter h, Map<String, Object> model, SearchSpace s) {
    String key = keyOf(h, model);
    List<Object> parentValues = parentValues(h.parent(), model, s);
    if (using(h, model, s).isEmpty()) {
      throw new IllegalArgumentException(
          key
              + ": used only when "
              + h.parent()
              + " is one of "
              + h.usedWhen()
              + ", but "
              + parentKey(h.parent(), model, s)
              + " is "
              + (parentValues.size() == 1 ? parentValues.get(0) : parentValues)
              + "; remove "
              + key
              + " or set "
              + h.parent());
    }
    Parameter p = s.has(h.name()) ? s.get(h.name()) : null;
    boolean parentSearched = s.has(h.parent()) && parentValues.size() > 1;
    boolean conditioned = p != null && p.condition() != null;
    if (p != null
        && parentSearched
        && !h.usedWhen().containsAll(parentValues)
        && !(conditioned && p.condition().parent().equals(h.parent()))) {
      throw new IllegalArgumentException(
          key
              + ": "
              + h.parent()
              + " is searched, so "
              + h.name()
              + " needs a condition, e.g. when { "
              + h.parent()
              + " = ["
              + String.join(", ", h.usedWhen())
              + "] }, got "
              + (conditioned ? "when." + p.condition().parent() : "none"));
    }
  }

  /**
   * Asks the engine about every value the child can take under every parent value that uses it: its
   * own values where it is active, its default where it is absent or conditioned out. Only parent
   * and child are set, so a failure is theirs.
   */
  private static void engineRules(Hyperparameter h, Map<String, Object> model, SearchSpace s) {
    Parameter p = s.has(h.name()) ? s.get(h.name()) : null;
    for (Object parent : parentValues(h.parent(), model, s)) {
      if (!h.usedWhen().contains(parent)) {
        continue;
      }
      boolean active =
          model.containsKey(h.name())
              || (p != null
                  && (p.condition() == null
                      || !p.condition().parent().equals(h.parent())
                      || p.condition().values().contains(parent)));
      List<Map.Entry<String, Object>> probes =
          active ? values(h, model, s) : List.of(Map.entry("", (Object) h.defaultValue()));
      for (Map.Entry<String, Object> probe : probes) {
        try {
          Hyperparameters.toSpec(
              Map.of(h.parent(), parent, h.name(), probe.getValue()), 1, 2, 1, 0);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(message(h, model, s, parent, probe, e), e);
        }
      }
    }
  }

  private static String message(
      Hyperparameter h,
      Map<String, Object> model,
      SearchSpace s,
      Object parent,
      Map.Entry<String, Object> probe,
      IllegalArgumentException e) {
    // The engine names its own field (decay.rate: ...); the config key replaces it.
    String m = e.getMessage();
    String rule = m.contains(": ") ? m.substring(m.indexOf(": ") + 2) : m;
    if (!probe.getKey().isEmpty()) {
      return probe.getKey() + ": " + rule + " (with " + h.parent() + " = " + parent + ")";
    }
    return parentKey(h.parent(), model, s)
        + ": "
        + h.parent()
        + " = "
        + parent
        + " needs "
        + h.name()
        + ", which "
        + rule.replace(", got ", ", got the default ")
        + "; set model."
        + h.name()
        + " or space."
        + h.name();
  }

  /** (key, value) for each value the child can take: fixed, bounds, limits or choices. */
  private static List<Map.Entry<String, Object>> values(
      Hyperparameter h, Map<String, Object> model, SearchSpace s) {
    List<Map.Entry<String, Object>> out = new ArrayList<>();
    String key = keyOf(h, model);
    if (model.containsKey(h.name())) {
      out.add(Map.entry(key, model.get(h.name())));
      return out;
    }
    Parameter p = s.get(h.name());
    for (Domain d : new Domain[] {p.domain(), p.limits()}) {
      String k = key + (d != null && d == p.limits() ? ".limits" : "");
      if (d instanceof Domain.Numeric n) {
        out.add(Map.entry(k + ".low", bound(h, n.lowBound())));
        out.add(Map.entry(k + ".high", bound(h, n.highBound())));
      } else if (d instanceof Domain.Choice c) {
        for (Object v : c.values()) {
          out.add(Map.entry(k + ".values", v));
        }
      } else if (d instanceof Domain.Fixed f) {
        out.add(Map.entry(k + ".value", f.value()));
      }
    }
    return out;
  }

  private static Object bound(Hyperparameter h, double v) {
    return h.integer() ? (Object) (int) v : (Object) v;
  }
}
