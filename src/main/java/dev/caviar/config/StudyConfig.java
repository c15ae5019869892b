package dev.caviar.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import dev.caviar.space.Domain;
import dev.caviar.space.Parameter;
import dev.caviar.space.SearchSpace;
import dev.caviar.study.Objective;
import dev.caviar.study.RoundSpec;
import dev.caviar.study.StudySettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads a study config (HOCON) with command-line overrides into a {@link StudySpec}.
 *
 * <p>This class only maps text to constructors: every rule lives in the records, and any failure is
 * rethrown as a {@link StudyConfigException} naming the file and line, the full key, the rule and
 * the value ({@code conf/x.conf: 12: space.learningRate.low: must be > 0 on a log scale, got
 * -0.001}). Unknown keys are errors, with the nearest known key suggested.
 */
public final class StudyConfig {
  private StudyConfig() {}

  /**
   * Every key the reader accepts. {@code <name>} stands for a hyperparameter name, {@code <parent>}
   * for a choice parameter, {@code []} for each element of a list.
   */
  public static final List<String> KEYS =
      List.of(
          "study.name",
          "study.seed",
          "study.rounds",
          "study.rounds[].trials",
          "study.rounds[].epochs",
          "study.elite",
          "study.margin",
          "study.carry",
          "study.metric",
          "study.divergenceFactor",
          "study.sampler",
          "study.minWidth",
          "study.choiceFloor",
          "study.warmStart",
          "data.source",
          "data.path",
          "data.labelsPath",
          "data.testPath",
          "data.testLabelsPath",
          "data.labelColumn",
          "data.featuresColumn",
          "data.header",
          "data.testFraction",
          "data.validationFraction",
          "data.features",
          "data.synthetic",
          "data.synthetic.rows",
          "data.synthetic.features",
          "data.synthetic.classes",
          "data.synthetic.difficulty",
          "model.<name>",
          "space.<name>.scale",
          "space.<name>.low",
          "space.<name>.high",
          "space.<name>.values",
          "space.<name>.value",
          "space.<name>.limits",
          "space.<name>.when.<parent>",
          "execution.layout",
          "execution.shards",
          "execution.replicas",
          "execution.broadcastLimitMb",
          "output.dir");

  private static final Set<String> SECTIONS =
      Set.of("study", "data", "model", "space", "execution", "output");

  /**
   * Reads {@code file} and applies {@code overrides} ({@code key=value} or {@code -Dkey=value}).
   */
  public static StudySpec load(Path file, List<String> overrides) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new StudyConfigException(file + ": cannot read the config: " + e, e);
    }
    return parse(text, file.toString(), overrides);
  }

  public static StudySpec load(String file, List<String> overrides) {
    return load(Path.of(file), overrides);
  }

  /** Parses HOCON text; {@code origin} names it in messages (usually the file path). */
  public static StudySpec parse(String hocon, String origin, List<String> overrides) {
    Config config;
    try {
      config =
          ConfigFactory.parseString(
              hocon, ConfigParseOptions.defaults().setOriginDescription(origin));
      List<String> list = overrides == null ? List.of() : overrides;
      // Later overrides win: each falls back to the config built so far.
      Config merged = config;
      for (String o : list) {
        String text = o.startsWith("-D") ? o.substring(2) : o;
        if (!text.contains("=")) {
          throw new StudyConfigException(
              "override '" + o + "': must be key=value, got '" + o + "'", null);
        }
        String key = text.split("[={:]", 2)[0].trim();
        Config one =
            ConfigFactory.parseString(
                text, ConfigParseOptions.defaults().setOriginDescription("override " + key));
        merged = one.withFallback(merged);
      }
      config = merged.resolve();
    } catch (ConfigException e) {
      throw new StudyConfigException(e.getMessage(), e);
    }
    return new Reader(origin).spec(config.root());
  }

  /** Maps one parsed config onto the records, adding origin and key to every failure. */
  private static final class Reader {
    private final String origin;

    Reader(String origin) {
      this.origin = origin;
    }

    StudySpec spec(ConfigObject root) {
      known(root, "", SECTIONS);
      ConfigObject study = section(root, "study", true);
      ConfigObject data = section(root, "data", true);
      ConfigObject model = section(root, "model", false);
      ConfigObject space = section(root, "space", true);
      ConfigObject execution = section(root, "execution", false);
      ConfigObject output = section(root, "output", false);
      StudySettings settings = study(study);
      DataSpec dataSpec = data(data);
      TreeMap<String, Object> fixed = new TreeMap<>();
      if (model != null) {
        for (Map.Entry<String, ConfigValue> e : new TreeMap<>(model).entrySet()) {
          if (e.getValue().valueType() == ConfigValueType.NULL) {
            continue; // null unsets a fixed value, e.g. from the command line
          }
          String key = "model." + e.getKey();
          Object v = scalar(e.getValue(), key);
          fixed.put(
              e.getKey(), at(e.getValue(), () -> Hyperparameters.normalize(key, e.getKey(), v)));
        }
      }
      SearchSpace searchSpace = space(space);
      ExecutionSpec exec = execution(execution);
      String dir =
          output == null
              ? "output/" + settings.name()
              : string(output, "output.dir", "dir", "output/" + settings.name());
      if (output != null) {
        known(output, "output", Set.of("dir"));
      }
      OutputSpec out = at(output, () -> new OutputSpec(dir));
      String warmStart = string(study, "study.warmStart", "warmStart", null);
      return at(
          space, () -> new StudySpec(settings, dataSpec, fixed, searchSpace, exec, out, warmStart));
    }

    StudySettings study(ConfigObject o) {
      known(
          o,
          "study",
          Set.of(
              "name",
              "seed",
              "rounds",
              "elite",
              "margin",
              "carry",
              "metric",
              "divergenceFactor",
              "sampler",
              "minWidth",
              "choiceFloor",
              "warmStart"));
      ConfigValue roundsValue = o.get("rounds");
      if (roundsValue == null || roundsValue.valueType() == ConfigValueType.NULL) {
        throw fail(o, "study.rounds", "is required, e.g. [{trials = 16, epochs = 1}], got nothing");
      }
      if (!(roundsValue instanceof ConfigList list)) {
        throw fail(
            roundsValue,
            "study.rounds",
            "must be a list of {trials, epochs}, got " + render(roundsValue));
      }
      List<RoundSpec> rounds = new ArrayList<>();
      for (int i = 0; i < list.size(); i++) {
        String key = "study.rounds[" + i + "]";
        ConfigValue v = list.get(i);
        if (!(v instanceof ConfigObject r)) {
          throw fail(v, key, "must be {trials = N, epochs = E}, got " + render(v));
        }
        known(r, key, Set.of("trials", "epochs"));
        int trials = integer(r, key + ".trials", "trials", null);
        int epochs = integer(r, key + ".epochs", "epochs", null);
        rounds.add(at(r, key + ".", () -> new RoundSpec(trials, epochs)));
      }
      String name = string(o, "study.name", "name", "study");
      long seed = longValue(o, "study.seed", "seed", 1L);
      double elite = number(o, "study.elite", "elite", 0.1);
      double margin = number(o, "study.margin", "margin", 0.1);
      int carry = integer(o, "study.carry", "carry", 2);
      String metricName = string(o, "study.metric", "metric", "accuracy");
      Objective metric = at(o.get("metric"), () -> Objective.parse("study.metric", metricName));
      double divergence = number(o, "study.divergenceFactor", "divergenceFactor", 10.0);
      String sampler = string(o, "study.sampler", "sampler", "random");
      double minWidth = number(o, "study.minWidth", "minWidth", 0.05);
      int choiceFloor = integer(o, "study.choiceFloor", "choiceFloor", 2);
      return at(
          o,
          () ->
              new StudySettings(
                  name,
                  seed,
                  rounds,
                  elite,
                  margin,
                  carry,
                  metric,
                  divergence,
                  sampler,
                  minWidth,
                  choiceFloor));
    }

    DataSpec data(ConfigObject o) {
      known(
          o,
          "data",
          Set.of(
              "source",
              "path",
              "labelsPath",
              "testPath",
              "testLabelsPath",
              "labelColumn",
              "featuresColumn",
              "header",
              "testFraction",
              "validationFraction",
              "features",
              "synthetic"));
      String sourceName = string(o, "data.source", "source", null);
      DataSpec.Source source =
          at(o.get("source"), () -> DataSpec.Source.parse("data.source", sourceName));
      DataSpec.Synthetic synthetic = null;
      ConfigObject syn = section(o, "synthetic", false, "data.synthetic");
      if (source == DataSpec.Source.SYNTHETIC || syn != null) {
        ConfigObject s = syn;
        if (s != null) {
          known(s, "data.synthetic", Set.of("rows", "features", "classes", "difficulty"));
        }
        int rows = s == null ? 8000 : integer(s, "data.synthetic.rows", "rows", 8000);
        int features = s == null ? 20 : integer(s, "data.synthetic.features", "features", 20);
        int classes = s == null ? 4 : integer(s, "data.synthetic.classes", "classes", 4);
        double difficulty =
            s == null ? 0.3 : number(s, "data.synthetic.difficulty", "difficulty", 0.3);
        synthetic =
            at(
                s == null ? o : s,
                () -> new DataSpec.Synthetic(rows, features, classes, difficulty));
      }
      String path = string(o, "data.path", "path", null);
      String labelsPath = string(o, "data.labelsPath", "labelsPath", null);
      String testPath = string(o, "data.testPath", "testPath", null);
      String testLabelsPath = string(o, "data.testLabelsPath", "testLabelsPath", null);
      String labelColumn = string(o, "data.labelColumn", "labelColumn", "label");
      String featuresColumn = string(o, "data.featuresColumn", "featuresColumn", null);
      boolean header = bool(o, "data.header", "header", true);
      double testFraction =
          number(o, "data.testFraction", "testFraction", testPath == null ? 0.2 : 0);
      double validationFraction = number(o, "data.validationFraction", "validationFraction", 0.2);
      int features = integer(o, "data.features", "features", 0);
      DataSpec.Synthetic syntheticFinal = synthetic;
      return at(
          o,
          () ->
              new DataSpec(
                  source,
                  path,
                  labelsPath,
                  testPath,
                  testLabelsPath,
                  labelColumn,
                  featuresColumn,
                  header,
                  testFraction,
                  validationFraction,
                  syntheticFinal,
                  features));
    }

    ExecutionSpec execution(ConfigObject o) {
      if (o == null) {
        return new ExecutionSpec(ExecutionSpec.Layout.AUTO, 0, 1, 512);
      }
      known(o, "execution", Set.of("layout", "shards", "replicas", "broadcastLimitMb"));
      String layoutName = string(o, "execution.layout", "layout", "auto");
      ExecutionSpec.Layout layout =
          at(o.get("layout"), () -> ExecutionSpec.Layout.parse("execution.layout", layoutName));
      int shards = integer(o, "execution.shards", "shards", 0);
      int replicas = integer(o, "execution.replicas", "replicas", 1);
      int limit = integer(o, "execution.broadcastLimitMb", "broadcastLimitMb", 512);
      return at(o, () -> new ExecutionSpec(layout, shards, replicas, limit));
    }

    SearchSpace space(ConfigObject o) {
      List<Parameter> params = new ArrayList<>();
      // HOCON objects are unordered: sort by name so the space (and Sobol's dimensions) never
      // depend on key order.
      for (Map.Entry<String, ConfigValue> e : new TreeMap<>(o).entrySet()) {
        String key = "space." + e.getKey();
        if (!(e.getValue() instanceof ConfigObject p)) {
          throw fail(
              e.getValue(),
              key,
              "must be an object such as { scale = log, low = 1e-4, high = 1e-1 }, got "
                  + render(e.getValue()));
        }
        params.add(parameter(e.getKey(), key, p));
      }
      if (params.isEmpty()) {
        throw fail(o, "space", "must search at least one hyperparameter, got {}");
      }
      return at(o, "space.", () -> new SearchSpace(params));
    }

    Parameter parameter(String name, String key, ConfigObject p) {
      String scale = string(p, key + ".scale", "scale", null);
      Set<String> allowed =
          switch (scale) {
            case "choice" -> Set.of("scale", "values", "when");
            case "fixed" -> Set.of("scale", "value", "when");
            case "linear", "log", "oneMinusLog", "int", "intLog", "pow2" ->
                Set.of("scale", "low", "high", "limits", "when");
            default ->
                throw fail(
                    p.get("scale"),
                    key + ".scale",
                    "must be one of linear, log, oneMinusLog, int, intLog, pow2, choice, fixed, got '"
                        + scale
                        + "'"
                        + Keys.suggest(
                            scale,
                            List.of(
                                "linear",
                                "log",
                                "oneMinusLog",
                                "int",
                                "intLog",
                                "pow2",
                                "choice",
                                "fixed")));
          };
      for (String k : p.keySet()) {
        if (!allowed.contains(k)) {
          boolean elsewhere =
              Set.of("low", "high", "limits", "values", "value", "when").contains(k);
          throw fail(
              p.get(k),
              key + "." + k,
              elsewhere
                  ? "not used by scale " + scale + ", got " + render(p.get(k))
                  : "unknown key" + Keys.suggest(k, allowed) + " (got " + render(p.get(k)) + ")");
        }
      }
      Domain domain;
      Domain limits = null;
      if (scale.equals("choice")) {
        ConfigValue v = p.get("values");
        if (!(v instanceof ConfigList list)) {
          throw fail(
              v == null ? p : v, key + ".values", "must be a list of values, got " + render(v));
        }
        List<Object> values = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
          values.add(typed(name, key + ".values", scalar(list.get(i), key + ".values[" + i + "]")));
        }
        domain = at(v, key + ".", () -> new Domain.Choice(values));
      } else if (scale.equals("fixed")) {
        ConfigValue v = p.get("value");
        if (v == null) {
          throw fail(p, key + ".value", "is required for scale fixed, got nothing");
        }
        Object value = typed(name, key + ".value", scalar(v, key + ".value"));
        domain = at(v, key + ".", () -> new Domain.Fixed(value));
      } else {
        boolean ints = scale.equals("int") || scale.equals("intLog") || scale.equals("pow2");
        double low = bound(p, key + ".low", "low", ints);
        double high = bound(p, key + ".high", "high", ints);
        domain = at(p.get("high"), key + ".", () -> numeric(scale, low, high));
        ConfigValue lv = p.get("limits");
        if (lv != null && lv.valueType() != ConfigValueType.NULL) {
          if (!(lv instanceof ConfigList ll)
              || ll.size() != 2
              || ll.get(0).valueType() != ConfigValueType.NUMBER
              || ll.get(1).valueType() != ConfigValueType.NUMBER) {
            throw fail(lv, key + ".limits", "must be [low, high], got " + render(lv));
          }
          double l0 = ((Number) ll.get(0).unwrapped()).doubleValue();
          double l1 = ((Number) ll.get(1).unwrapped()).doubleValue();
          limits = at(lv, key + ".limits.", () -> numeric(scale, l0, l1));
        }
      }
      Parameter.Condition condition = null;
      ConfigValue when = p.get("when");
      if (when != null && when.valueType() != ConfigValueType.NULL) {
        if (!(when instanceof ConfigObject w) || w.size() != 1) {
          throw fail(
              when,
              key + ".when",
              "must name one choice parent and its values, e.g. { optimizer = [adam] }, got "
                  + render(when));
        }
        String parent = w.keySet().iterator().next();
        ConfigValue pv = w.get(parent);
        List<Object> values = new ArrayList<>();
        String wkey = key + ".when." + parent;
        if (pv instanceof ConfigList pl) {
          for (int i = 0; i < pl.size(); i++) {
            values.add(scalar(pl.get(i), wkey + "[" + i + "]"));
          }
        } else {
          values.add(scalar(pv, wkey));
        }
        List<Object> typedValues = new ArrayList<>();
        for (Object v : values) {
          typedValues.add(Hyperparameters.names().contains(parent) ? typed(parent, wkey, v) : v);
        }
        condition = at(when, key + ".", () -> new Parameter.Condition(parent, typedValues));
      }
      Domain d = domain;
      Domain l = limits;
      Parameter.Condition c = condition;
      return at(p, "space.", () -> new Parameter(name, d, c, l));
    }

    /** Numbers in choice and fixed values take the hyperparameter's type (3 -> Double for l2). */
    private Object typed(String name, String key, Object v) {
      if (v instanceof Number n && Hyperparameters.names().contains(name)) {
        if (Hyperparameters.isInteger(name)) {
          if (n.doubleValue() == Math.rint(n.doubleValue())) {
            return n.intValue();
          }
          throw new StudyConfigException(
              origin + ": " + key + ": must be an integer, got " + n, null);
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

    private static Domain numeric(String scale, double low, double high) {
      return switch (scale) {
        case "linear" -> new Domain.Linear(low, high);
        case "log" -> new Domain.Log(low, high);
        case "oneMinusLog" -> new Domain.OneMinusLog(low, high);
        case "int" -> new Domain.IntUniform((int) low, (int) high);
        case "intLog" -> new Domain.IntLog((int) low, (int) high);
        default -> new Domain.Pow2((int) low, (int) high);
      };
    }

    private double bound(ConfigObject p, String key, String field, boolean ints) {
      ConfigValue v = p.get(field);
      if (v == null || v.valueType() == ConfigValueType.NULL) {
        throw fail(p, key, "is required for a numeric scale, got nothing");
      }
      if (v.valueType() != ConfigValueType.NUMBER) {
        throw fail(v, key, "must be a number, got " + render(v));
      }
      double d = ((Number) v.unwrapped()).doubleValue();
      if (ints && !(d == Math.rint(d) && Math.abs(d) <= Integer.MAX_VALUE)) {
        throw fail(v, key, "must be an integer on this scale, got " + render(v));
      }
      return d;
    }

    // ---- typed getters: each names the key and the value it got ----

    private ConfigObject section(ConfigObject parent, String name, boolean required) {
      return section(parent, name, required, name);
    }

    private ConfigObject section(ConfigObject parent, String name, boolean required, String key) {
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

    private void known(ConfigObject o, String prefix, Set<String> allowed) {
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

    private String string(ConfigObject o, String key, String field, String dflt) {
      ConfigValue v = o.get(field);
      if (v == null || v.valueType() == ConfigValueType.NULL) {
        if (dflt == null && !isOptional(key)) {
          throw fail(o, key, "is required, got nothing");
        }
        return dflt;
      }
      if (v.valueType() != ConfigValueType.STRING) {
        throw fail(v, key, "must be a string, got " + render(v));
      }
      return (String) v.unwrapped();
    }

    private static boolean isOptional(String key) {
      return (key.startsWith("data.") && !key.equals("data.source"))
          || key.equals("study.warmStart");
    }

    private double number(ConfigObject o, String key, String field, Double dflt) {
      ConfigValue v = o.get(field);
      if (v == null || v.valueType() == ConfigValueType.NULL) {
        if (dflt == null) {
          throw fail(o, key, "is required, got nothing");
        }
        return dflt;
      }
      if (v.valueType() != ConfigValueType.NUMBER) {
        throw fail(v, key, "must be a number, got " + render(v));
      }
      return ((Number) v.unwrapped()).doubleValue();
    }

    private int integer(ConfigObject o, String key, String field, Integer dflt) {
      ConfigValue v = o.get(field);
      if (v == null || v.valueType() == ConfigValueType.NULL) {
        if (dflt == null) {
          throw fail(o, key, "is required, got nothing");
        }
        return dflt;
      }
      if (v.valueType() != ConfigValueType.NUMBER) {
        throw fail(v, key, "must be an integer, got " + render(v));
      }
      double d = ((Number) v.unwrapped()).doubleValue();
      if (!(d == Math.rint(d) && Math.abs(d) <= Integer.MAX_VALUE)) {
        throw fail(v, key, "must be an integer, got " + render(v));
      }
      return (int) d;
    }

    private long longValue(ConfigObject o, String key, String field, long dflt) {
      ConfigValue v = o.get(field);
      if (v == null || v.valueType() == ConfigValueType.NULL) {
        return dflt;
      }
      if (!(v.unwrapped() instanceof Integer || v.unwrapped() instanceof Long)) {
        throw fail(v, key, "must be an integer, got " + render(v));
      }
      return ((Number) v.unwrapped()).longValue();
    }

    private boolean bool(ConfigObject o, String key, String field, boolean dflt) {
      ConfigValue v = o.get(field);
      if (v == null || v.valueType() == ConfigValueType.NULL) {
        return dflt;
      }
      if (v.valueType() != ConfigValueType.BOOLEAN) {
        throw fail(v, key, "must be true or false, got " + render(v));
      }
      return (Boolean) v.unwrapped();
    }

    private Object scalar(ConfigValue v, String key) {
      switch (v.valueType()) {
        case STRING:
        case BOOLEAN:
          return v.unwrapped();
        case NUMBER:
          Number n = (Number) v.unwrapped();
          return n instanceof Integer || n instanceof Long
              ? (Object) n.intValue()
              : n.doubleValue();
        default:
          throw fail(v, key, "must be a string, number or boolean, got " + render(v));
      }
    }

    // ---- failures ----

    private String where(ConfigValue v) {
      if (v == null || v.origin() == null) {
        return origin;
      }
      String d = v.origin().description();
      if (d == null) {
        return origin;
      }
      // A merged value reads "merge of <override>: 1,<file>: 7": the first part set it.
      if (d.startsWith("merge of ")) {
        d = d.substring("merge of ".length());
        int comma = d.indexOf(',');
        d = comma < 0 ? d : d.substring(0, comma);
      }
      return d;
    }

    private StudyConfigException fail(ConfigValue v, String key, String message) {
      return new StudyConfigException(where(v) + ": " + key + ": " + message, null);
    }

    private <T> T at(ConfigValue v, java.util.function.Supplier<T> build) {
      return at(v, "", build);
    }

    /** Runs a constructor; its message gets the origin, and {@code prefix} unless already keyed. */
    private <T> T at(ConfigValue v, String prefix, java.util.function.Supplier<T> build) {
      try {
        return build.get();
      } catch (StudyConfigException e) {
        throw e;
      } catch (IllegalArgumentException e) {
        String m = e.getMessage();
        boolean keyed = false;
        for (String s : SECTIONS) {
          if (m.startsWith(s + ".") || m.startsWith(s + ":")) {
            keyed = true;
          }
        }
        throw new StudyConfigException(where(v) + ": " + (keyed ? "" : prefix) + m, e);
      }
    }

    private static String render(ConfigValue v) {
      if (v == null) {
        return "nothing";
      }
      if (v.valueType() == ConfigValueType.STRING) {
        return "'" + v.unwrapped() + "'";
      }
      return v.render(com.typesafe.config.ConfigRenderOptions.concise());
    }
  }
}
