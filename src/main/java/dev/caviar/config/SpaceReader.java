package dev.caviar.config;

import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import dev.caviar.space.Domain;
import dev.caviar.space.Parameter;
import dev.caviar.space.Scales;
import dev.caviar.space.SearchSpace;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads the {@code space} section: one {@link Parameter} per searched hyperparameter, its scale
 * looked up in {@link Scales}, its values typed by the {@link Hyperparameters} catalogue.
 */
final class SpaceReader {
  private final KeyReader r;

  private static final String SCALE = Keys.SPACE_SCALE.field();
  private static final String LOW = Keys.SPACE_LOW.field();
  private static final String HIGH = Keys.SPACE_HIGH.field();
  private static final String VALUES = Keys.SPACE_VALUES.field();
  private static final String VALUE = Keys.SPACE_VALUE.field();
  private static final String LIMITS = Keys.SPACE_LIMITS.field();
  // The segment before <parent> in space.<name>.when.<parent>.
  private static final String WHEN = "when";

  SpaceReader(KeyReader r) {
    this.r = r;
  }

  SearchSpace space(ConfigObject o) {
    List<Parameter> params = new ArrayList<>();
    // HOCON objects are unordered: sort by name so the space (and Sobol's dimensions) never
    // depend on key order.
    for (Map.Entry<String, ConfigValue> e : new TreeMap<>(o).entrySet()) {
      if (e.getValue().valueType() == ConfigValueType.NULL) {
        continue; // null unsets a searched parameter, e.g. from the command line
      }
      String key = "space." + e.getKey();
      // Named before the value is read: a look-alike name is a near miss, not a bad identifier.
      r.at(e.getValue(), () -> Hyperparameters.get(key, e.getKey()));
      if (!(e.getValue() instanceof ConfigObject p)) {
        throw r.fail(
            e.getValue(),
            key,
            "must be an object such as { scale = log, low = 1e-4, high = 1e-1 }, got "
                + KeyReader.render(e.getValue()));
      }
      params.add(parameter(e.getKey(), key, p));
    }
    if (params.isEmpty()) {
      throw r.fail(o, "space", "must search at least one hyperparameter, got {}");
    }
    return r.at(o, "space.", () -> new SearchSpace(params));
  }

  Parameter parameter(String name, String key, ConfigObject p) {
    String scaleName = r.required(p, key + ".scale", SCALE);
    Scales.Scale scale;
    try {
      scale = Scales.named(scaleName);
    } catch (IllegalArgumentException e) {
      throw new StudyConfigException(
          r.where(p.get(SCALE))
              + ": "
              + key
              + "."
              + e.getMessage()
              + Keys.suggest(scaleName, Scales.names()),
          e);
    }
    Set<String> allowed =
        switch (scale.shape()) {
          case CHOICE -> Set.of(SCALE, VALUES, WHEN);
          case FIXED -> Set.of(SCALE, VALUE, WHEN);
          case REAL, INTEGER -> Set.of(SCALE, LOW, HIGH, LIMITS, WHEN);
        };
    for (String k : p.keySet()) {
      if (!allowed.contains(k)) {
        boolean elsewhere = Set.of(LOW, HIGH, LIMITS, VALUES, VALUE, WHEN).contains(k);
        throw r.fail(
            p.get(k),
            key + "." + k,
            elsewhere
                ? "not used by scale " + scale.name() + ", got " + KeyReader.render(p.get(k))
                : "unknown key"
                    + Keys.suggest(k, allowed)
                    + " (got "
                    + KeyReader.render(p.get(k))
                    + ")");
      }
    }
    Domain domain;
    Domain limits = null;
    if (scale.shape() == Scales.Shape.CHOICE) {
      ConfigValue v = p.get(VALUES);
      if (!(v instanceof ConfigList list)) {
        throw r.fail(
            v == null ? p : v,
            key + ".values",
            "must be a list of values, got " + KeyReader.render(v));
      }
      List<Object> values = new ArrayList<>();
      for (int i = 0; i < list.size(); i++) {
        values.add(typed(name, key + ".values", r.scalar(list.get(i), key + ".values[" + i + "]")));
      }
      domain = r.at(v, key + ".", () -> new Domain.Choice(values));
    } else if (scale.shape() == Scales.Shape.FIXED) {
      ConfigValue v = p.get(VALUE);
      if (v == null) {
        throw r.fail(p, key + ".value", "is required for scale fixed, got nothing");
      }
      Object value = typed(name, key + ".value", r.scalar(v, key + ".value"));
      domain = r.at(v, key + ".", () -> new Domain.Fixed(value));
    } else {
      double low = bound(p, key + ".low", LOW, scale.integer());
      double high = bound(p, key + ".high", HIGH, scale.integer());
      domain = r.at(p.get(HIGH), key + ".", () -> scale.domain(low, high));
      ConfigValue lv = p.get(LIMITS);
      if (lv != null && lv.valueType() != ConfigValueType.NULL) {
        if (!(lv instanceof ConfigList ll)
            || ll.size() != 2
            || ll.get(0).valueType() != ConfigValueType.NUMBER
            || ll.get(1).valueType() != ConfigValueType.NUMBER) {
          throw r.fail(lv, key + ".limits", "must be [low, high], got " + KeyReader.render(lv));
        }
        double l0 = ((Number) ll.get(0).unwrapped()).doubleValue();
        double l1 = ((Number) ll.get(1).unwrapped()).doubleValue();
        limits = r.at(lv, key + ".limits.", () -> scale.domain(l0, l1));
      }
    }
    Parameter.Condition condition = null;
    ConfigValue when = p.get(WHEN);
    if (when != null && when.valueType() != ConfigValueType.NULL) {
      if (!(when instanceof ConfigObject w) || w.size() != 1) {
        throw r.fail(
            when,
            key + ".when",
            "must name one choice parent and its values, e.g. { optimizer = [adam] }, got "
                + KeyReader.render(when));
      }
      String parent = w.keySet().iterator().next();
      ConfigValue pv = w.get(parent);
      List<Object> values = new ArrayList<>();
      String wkey = key + ".when." + parent;
      if (pv instanceof ConfigList pl) {
        for (int i = 0; i < pl.size(); i++) {
          values.add(r.scalar(pl.get(i), wkey + "[" + i + "]"));
        }
      } else {
        values.add(r.scalar(pv, wkey));
      }
      List<Object> typedValues = new ArrayList<>();
      for (Object v : values) {
        typedValues.add(Hyperparameters.names().contains(parent) ? typed(parent, wkey, v) : v);
      }
      condition = r.at(when, key + ".", () -> new Parameter.Condition(parent, typedValues));
    }
    Domain d = domain;
    Domain l = limits;
    Parameter.Condition c = condition;
    return r.at(p, "space.", () -> new Parameter(name, d, c, l));
  }

  /** Numbers in choice and fixed values take the hyperparameter's type (3 -> Double for l2). */
  private Object typed(String name, String key, Object v) {
    if (v instanceof Number n && Hyperparameters.names().contains(name)) {
      if (Hyperparameters.isInteger(name)) {
        if (n.doubleValue() == Math.rint(n.doubleValue())) {
          return n.intValue();
        }
        throw new StudyConfigException(
            r.where(null) + ": " + key + ": must be an integer, got " + n, null);
      }
      return n.doubleValue();
    }
    if (v instanceof Number n) {
      return n.doubleValue() == Math.rint(n.doubleValue()) && Math.abs(n.doubleValue()) < 1e9
          ? (Object) n.intValue()
          : (Object) n.doubleValue();
    }
    return v;
  }

  private double bound(ConfigObject p, String key, String field, boolean ints) {
    ConfigValue v = p.get(field);
    if (v == null || v.valueType() == ConfigValueType.NULL) {
      throw r.fail(p, key, "is required for a numeric scale, got nothing");
    }
    if (v.valueType() != ConfigValueType.NUMBER) {
      throw r.fail(v, key, "must be a number, got " + KeyReader.render(v));
    }
    double d = ((Number) v.unwrapped()).doubleValue();
    if (ints && !(d == Math.rint(d) && Math.abs(d) <= Integer.MAX_VALUE)) {
      throw r.fail(v, key, "must be an integer on this scale, got " + KeyReader.render(v));
    }
    return d;
  }
}
