package dev.caviar.config;

import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Reads typed values out of a parsed config by {@link Keys.Key}, and turns every failure into a
 * {@link StudyConfigException} naming the file and line, the full key, the rule and the value. It
 * only maps text to values: the rules live in the records the values build.
 */
final class KeyReader {
  private final String origin;

  KeyReader(String origin) {
    this.origin = origin;
  }

  // ---- typed getters: each names the key and the value it got ----

  ConfigObject section(ConfigObject parent, Keys.Key key, boolean required) {
    return section(parent, key.field(), required, key.path());
  }

  ConfigObject section(ConfigObject parent, String name, boolean required, String key) {
    ConfigValue v = parent.get(name);
    if (v == null || v.valueType() == ConfigValueType.NULL) {
      if (required) {
        throw fail(parent, key, "section is required, got nothing");
      }
      return null;
    }
    if (!(v instanceof ConfigObject o)) {
      throw fail(v, key, "must be an object { ... }, got " + render(v));
    }
    return o;
  }

  /**
   * Fails on the first key of {@code o} that {@link Keys} does not declare under {@code prefix}.
   */
  void known(ConfigObject o, String prefix) {
    known(o, prefix, Keys.fields(prefix.replaceAll("\\[\\d+]", "")));
  }

  void known(ConfigObject o, String prefix, Set<String> allowed) {
    for (String k : o.keySet()) {
      if (!allowed.contains(k)) {
        String key = prefix.isEmpty() ? k : prefix + "." + k;
        throw fail(
            o.get(k),
            key,
            "unknown key" + Keys.suggest(k, allowed) + " (got " + render(o.get(k)) + ")");
      }
    }
  }

  String string(ConfigObject o, Keys.Key k) {
    return string(o, k, k.dflt() == null ? null : (String) k.dflt());
  }

  String string(ConfigObject o, Keys.Key k, String dflt) {
    ConfigValue v = o.get(k.field());
    if (v == null || v.valueType() == ConfigValueType.NULL) {
      if (dflt == null && k.required()) {
        throw fail(o, k.path(), "is required, got nothing");
      }
      return dflt;
    }
    if (v.valueType() != ConfigValueType.STRING) {
      throw fail(v, k.path(), "must be a string, got " + render(v));
    }
    return (String) v.unwrapped();
  }

  /** A string that must be there, at {@code key} (a key with a hyperparameter's name in it). */
  String required(ConfigObject o, String key, String field) {
    ConfigValue v = o.get(field);
    if (v == null || v.valueType() == ConfigValueType.NULL) {
      throw fail(o, key, "is required, got nothing");
    }
    if (v.valueType() != ConfigValueType.STRING) {
      throw fail(v, key, "must be a string, got " + render(v));
    }
    return (String) v.unwrapped();
  }

  double number(ConfigObject o, Keys.Key k) {
    return number(o, k.path(), k.field(), (Double) k.dflt());
  }

  double number(ConfigObject o, String key, String field, Double dflt) {
    ConfigValue v = numeric(o, key, field, dflt, "a number");
    return v == null ? dflt : finite(v, key);
  }

  /** The numeric value at {@code field}; null when absent with a default; else an error. */
  private ConfigValue numeric(ConfigObject o, String key, String field, Number dflt, String what) {
    ConfigValue v = o.get(field);
    if (v == null || v.valueType() == ConfigValueType.NULL) {
      if (dflt == null) {
        throw fail(o, key, "is required, got nothing");
      }
      return null;
    }
    if (v.valueType() != ConfigValueType.NUMBER) {
      throw fail(v, key, "must be " + what + ", got " + render(v));
    }
    return v;
  }

  int integer(ConfigObject o, Keys.Key k) {
    return integer(o, k.path(), k.field(), (Integer) k.dflt());
  }

  int integer(ConfigObject o, String key, String field, Integer dflt) {
    ConfigValue v = numeric(o, key, field, dflt, "an integer");
    if (v == null) {
      return dflt;
    }
    double d = finite(v, key);
    if (!(d == Math.rint(d) && Math.abs(d) <= Integer.MAX_VALUE)) {
      throw fail(v, key, "must be an integer, got " + render(v));
    }
    return (int) d;
  }

  long longValue(ConfigObject o, Keys.Key k) {
    ConfigValue v = o.get(k.field());
    if (v == null || v.valueType() == ConfigValueType.NULL) {
      return (Long) k.dflt();
    }
    if (!(v.unwrapped() instanceof Integer || v.unwrapped() instanceof Long)) {
      throw fail(v, k.path(), "must be an integer, got " + render(v));
    }
    return ((Number) v.unwrapped()).longValue();
  }

  boolean bool(ConfigObject o, Keys.Key k) {
    ConfigValue v = o.get(k.field());
    if (v == null || v.valueType() == ConfigValueType.NULL) {
      return (Boolean) k.dflt();
    }
    if (v.valueType() != ConfigValueType.BOOLEAN) {
      throw fail(v, k.path(), "must be true or false, got " + render(v));
    }
    return (Boolean) v.unwrapped();
  }

  /** A numeric value that must be finite: HOCON reads {@code 1e400} as Infinity. */
  double finite(ConfigValue v, String key) {
    double d = ((Number) v.unwrapped()).doubleValue();
    if (!Double.isFinite(d)) {
      throw fail(v, key, "must be a finite number, got " + render(v));
    }
    return d;
  }

  Object scalar(ConfigValue v, String key) {
    switch (v.valueType()) {
      case STRING:
      case BOOLEAN:
        return v.unwrapped();
      case NUMBER:
        Number n = (Number) v.unwrapped();
        return n instanceof Integer || n instanceof Long
            ? (Object) n.intValue()
            : (Object) finite(v, key);
      default:
        throw fail(v, key, "must be a string, number or boolean, got " + render(v));
    }
  }

  // ---- failures ----

  String where(ConfigValue v) {
    if (v == null || v.origin() == null) {
      return origin;
    }
    String d = v.origin().description();
    if (d == null) {
      return origin;
    }
    // Only objects merge ("merge of <override>: 1,<file>: 7"); the last part declared the object.
    if (d.startsWith("merge of ")) {
      d = d.substring(d.lastIndexOf(',') < 0 ? "merge of ".length() : d.lastIndexOf(',') + 1);
    }
    return d;
  }

  StudyConfigException fail(ConfigValue v, String key, String message) {
    return new StudyConfigException(where(v) + ": " + key + ": " + message, null);
  }

  <T> T at(ConfigValue v, Supplier<T> build) {
    return at(v, "", build);
  }

  /** Runs a constructor; its message gets the origin, and {@code prefix} unless already keyed. */
  <T> T at(ConfigValue v, String prefix, Supplier<T> build) {
    try {
      return build.get();
    } catch (StudyConfigException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      String m = e.getMessage();
      boolean keyed = false;
      for (String s : Keys.fields("")) {
        if (m.startsWith(s + ".") || m.startsWith(s + ":")) {
          keyed = true;
        }
      }
      throw new StudyConfigException(where(v) + ": " + (keyed ? "" : prefix) + m, e);
    }
  }

  static String render(ConfigValue v) {
    if (v == null) {
      return "nothing";
    }
    if (v.valueType() == ConfigValueType.STRING) {
      return "'" + v.unwrapped() + "'";
    }
    return v.render(ConfigRenderOptions.concise());
  }
}
