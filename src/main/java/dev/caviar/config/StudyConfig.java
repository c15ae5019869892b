package dev.caviar.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import dev.caviar.space.SearchSpace;
import dev.caviar.study.Carried;
import dev.caviar.study.Confirm;
import dev.caviar.study.Objective;
import dev.caviar.study.RoundSpec;
import dev.caviar.study.Stopping;
import dev.caviar.study.StudySettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a study config (HOCON) with command-line overrides into a {@link StudySpec}.
 *
 * <p>This class only maps text to constructors: every rule lives in the records, and any failure is
 * rethrown as a {@link StudyConfigException} naming the file and line, the full key, the rule and
 * the value ({@code conf/x.conf: 12: space.learningRate.low: must be > 0 on a log scale, got
 * -0.001}). Unknown keys are errors, with the nearest known key suggested.
 *
 * <p>Long because the config has many sections (study and its stopping, data, model, space,
 * execution, final, output), each read by one method here; the keys and their defaults live in
 * {@link Keys}, the rules in the records.
 */
public final class StudyConfig {
  private StudyConfig() {}

  /**
   * Every key the reader accepts, as {@code conf/README.md} lists them. {@code <name>} stands for a
   * hyperparameter name, {@code <parent>} for a choice parameter, {@code []} for each element of a
   * list. Declared in {@link Keys}.
   */
  public static final List<String> KEYS = Keys.all().stream().map(Keys.Key::path).toList();

  /**
   * Reads {@code file} and applies {@code overrides} ({@code key=value} or {@code -Dkey=value}).
   */
  public static StudySpec load(Path file, List<String> overrides) {
    return parse(HoconText.readUtf8(file), file.toString(), overrides);
  }

  /** As {@link #load(Path, List)}, with {@code defaults} beneath the file (see {@link #parse}). */
  public static StudySpec load(Path file, List<String> overrides, String defaults) {
    return parse(HoconText.readUtf8(file), file.toString(), overrides, defaults);
  }

  public static StudySpec load(String file, List<String> overrides) {
    return load(Path.of(file), overrides);
  }

  /** Parses HOCON text; {@code origin} names it in messages (usually the file path). */
  public static StudySpec parse(String hocon, String origin, List<String> overrides) {
    return parse(hocon, origin, overrides, "");
  }

  /**
   * As {@link #parse(String, String, List)}, with {@code defaults} (HOCON) beneath the text: what
   * the text leaves out, they give (Spark ML's {@code CaviarTuner} gives {@code data.source =
   * dataframe}).
   */
  public static StudySpec parse(
      String hocon, String origin, List<String> overrides, String defaults) {
    return new Reader(origin).spec(merged(hocon, origin, overrides, defaults).root());
  }

  /**
   * Reads a watch config ({@code caviar watch}): a study config whose {@code data} section
   * describes the arriving files, plus its {@code watch} section.
   */
  public static WatchSpec loadWatch(Path file, List<String> overrides) {
    return parseWatch(HoconText.readUtf8(file), file.toString(), overrides);
  }

  /** As {@link #loadWatch} from HOCON text. */
  public static WatchSpec parseWatch(String hocon, String origin, List<String> overrides) {
    ConfigObject root = merged(hocon, origin, overrides, "").root();
    Reader reader = new Reader(origin);
    StudySpec study = reader.spec(root);
    return reader.watch(root, study);
  }

  private static Config merged(
      String hocon, String origin, List<String> overrides, String defaults) {
    Config config;
    try {
      config =
          parseFile(hocon, origin)
              .withFallback(
                  ConfigFactory.parseString(
                      defaults, ConfigParseOptions.defaults().setOriginDescription("defaults")));
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
        if (key.isEmpty()) {
          throw new StudyConfigException(
              "override '" + o + "': must be key=value with a key, got '" + o + "'", null);
        }
        Config one =
            ConfigFactory.parseString(
                text, ConfigParseOptions.defaults().setOriginDescription("override " + key));
        merged = one.withFallback(merged);
      }
      config = merged.resolve();
    } catch (ConfigException e) {
      throw new StudyConfigException(e.getMessage(), e);
    }
    return config;
  }

  private static Config parseFile(String hocon, String origin) {
    try {
      return ConfigFactory.parseString(
          hocon, ConfigParseOptions.defaults().setOriginDescription(origin));
    } catch (ConfigException.Parse e) {
      int line = HoconText.unclosedLine(hocon);
      if (line > 0 && e.getMessage().contains("end of file")) {
        throw new StudyConfigException(
            origin + ": " + line + ": '{' is never closed (the file ends first)", e);
      }
      throw e;
    }
  }

  /** Maps one parsed config onto the records, adding origin and key to every failure. */
  private static final class Reader {
    private final KeyReader r;

    Reader(String origin) {
      this.r = new KeyReader(origin);
    }

    StudySpec spec(ConfigObject root) {
      r.known(root, "");
      ConfigObject study = section(root, "study", true);
      ConfigObject data = section(root, "data", true);
      ConfigObject model = section(root, "model", false);
      ConfigObject space = section(root, "space", true);
      ConfigObject execution = section(root, "execution", false);
      ConfigObject fin = section(root, "final", false);
      ConfigObject output = section(root, "output", false);
      StudySettings settings = study(study);
      DataSpec dataSpec = data(root, data);
      TreeMap<String, Object> fixed = new TreeMap<>();
      if (model != null) {
        for (Map.Entry<String, ConfigValue> e : new TreeMap<>(model).entrySet()) {
          if (e.getValue().valueType() == ConfigValueType.NULL) {
            continue; // null unsets a fixed value, e.g. from the command line
          }
          String key = "model." + e.getKey();
          r.at(e.getValue(), () -> Hyperparameters.get(key, e.getKey()));
          Object v = r.scalar(e.getValue(), key);
          fixed.put(
              e.getKey(), r.at(e.getValue(), () -> Hyperparameters.normalize(key, e.getKey(), v)));
        }
      }
      SearchSpace searchSpace = new SpaceReader(r).space(space);
      ExecutionSpec exec = execution(execution, fin);
      String defaultDir = "output/" + settings.name();
      String dir = output == null ? defaultDir : r.string(output, Keys.OUTPUT_DIR, defaultDir);
      if (output != null) {
        r.known(output, "output");
      }
      OutputSpec out = r.at(output, () -> new OutputSpec(dir));
      String warmStart = r.string(study, Keys.STUDY_WARM_START);
      return keyed(
          root, () -> new StudySpec(settings, dataSpec, fixed, searchSpace, exec, out, warmStart));
    }

    /** Builds a record whose rules span keys; a failure points at the line of the key it names. */
    private <T> T keyed(ConfigObject root, java.util.function.Supplier<T> build) {
      try {
        return build.get();
      } catch (IllegalArgumentException e) {
        return r.at(
            valueAt(root, e.getMessage()),
            () -> {
              throw e;
            });
      }
    }

    /** The deepest value on the key a message starts with ({@code space.beta1.low: ...}). */
    private static ConfigValue valueAt(ConfigObject root, String message) {
      ConfigValue at = root;
      for (String part : message.split(": ", 2)[0].split("\\.")) {
        if (!(at instanceof ConfigObject o) || !o.containsKey(part)) {
          break;
        }
        at = o.get(part);
      }
      return at;
    }

    private ConfigObject section(ConfigObject root, String name, boolean required) {
      if (required && !root.containsKey(name)) {
        // The root's origin is whatever was merged last (often an override): name the file.
        throw r.fail(null, name, "section is required, got nothing");
      }
      return r.section(root, name, required, name);
    }

    StudySettings study(ConfigObject o) {
      r.known(o, "study");
      ConfigValue roundsValue = o.get(Keys.STUDY_ROUNDS.field());
      if (roundsValue == null || roundsValue.valueType() == ConfigValueType.NULL) {
        throw r.fail(
            o, "study.rounds", "is required, e.g. [{trials = 16, epochs = 1}], got nothing");
      }
      List<RoundSpec> rounds = rounds(roundsValue, Keys.STUDY_ROUNDS.path());
      String name = r.string(o, Keys.STUDY_NAME);
      long seed = r.longValue(o, Keys.STUDY_SEED);
      double elite = r.number(o, Keys.STUDY_ELITE);
      double margin = r.number(o, Keys.STUDY_MARGIN);
      int carry = r.integer(o, Keys.STUDY_CARRY);
      String carriedName = r.string(o, Keys.STUDY_CARRIED);
      Carried carried =
          r.at(
              o.get(Keys.STUDY_CARRIED.field()),
              () -> Carried.parse(Keys.STUDY_CARRIED.path(), carriedName));
      String metricName = r.string(o, Keys.STUDY_METRIC);
      Objective metric =
          r.at(
              o.get(Keys.STUDY_METRIC.field()),
              () -> Objective.parse(Keys.STUDY_METRIC.path(), metricName));
      double divergence = r.number(o, Keys.STUDY_DIVERGENCE);
      String sampler = r.string(o, Keys.STUDY_SAMPLER);
      double minWidth = r.number(o, Keys.STUDY_MIN_WIDTH);
      int choiceFloor = r.integer(o, Keys.STUDY_CHOICE_FLOOR);
      Stopping stopping = stopping(r.section(o, Keys.STUDY_STOPPING, false));
      return r.at(
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
                  choiceFloor,
                  stopping,
                  carried));
    }

    /** The {@code study.stopping} section; absent: no early stopping. */
    private Stopping stopping(ConfigObject o) {
      if (o == null) {
        return Stopping.NONE;
      }
      r.known(o, Keys.STUDY_STOPPING.path());
      String ruleName = r.string(o, Keys.STOPPING_RULE);
      Stopping.Rule rule =
          r.at(
              o.get(Keys.STOPPING_RULE.field()),
              () -> Stopping.Rule.parse(Keys.STOPPING_RULE.path(), ruleName));
      List<Double> at = Stopping.NONE.at();
      ConfigValue atValue = o.get(Keys.STOPPING_AT.field());
      if (atValue != null && atValue.valueType() != ConfigValueType.NULL) {
        if (!(atValue instanceof ConfigList list)) {
          throw r.fail(
              atValue,
              Keys.STOPPING_AT.path(),
              "must be a list of shares of the epochs, e.g. [0.34], got "
                  + KeyReader.render(atValue));
        }
        List<Double> shares = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
          String key = Keys.STOPPING_AT.path() + "[" + i + "]";
          if (list.get(i).valueType() != ConfigValueType.NUMBER) {
            throw r.fail(
                list.get(i),
                key,
                "must be a share of the epochs in (0, 1), got " + KeyReader.render(list.get(i)));
          }
          shares.add(r.finite(list.get(i), key));
        }
        at = shares;
      }
      double keep = r.number(o, Keys.STOPPING_KEEP);
      int minEpochs = r.integer(o, Keys.STOPPING_MIN_EPOCHS);
      List<Double> shares = at;
      return r.at(o, () -> new Stopping(rule, shares, keep, minEpochs));
    }

    /** A round's {@code confirm} section; absent: nothing confirmed. */
    private Confirm confirm(ConfigObject round, String key) {
      ConfigValue v = round.get(Keys.ROUND_CONFIRM.field());
      if (v == null || v.valueType() == ConfigValueType.NULL) {
        return Confirm.NONE;
      }
      String path = key + "." + Keys.ROUND_CONFIRM.field();
      if (!(v instanceof ConfigObject o)) {
        throw r.fail(v, path, "must be {top = N, replicates = R}, got " + KeyReader.render(v));
      }
      r.known(o, path);
      int top = r.integer(o, path + ".top", Keys.CONFIRM_TOP.field(), null);
      int replicates = r.integer(o, path + ".replicates", Keys.CONFIRM_REPLICATES.field(), null);
      return r.at(o, key + ".", () -> new Confirm(top, replicates));
    }

    /** A schedule: a list of {@code {trials, epochs}} under {@code key}. */
    private List<RoundSpec> rounds(ConfigValue roundsValue, String path) {
      if (!(roundsValue instanceof ConfigList list)) {
        throw r.fail(
            roundsValue,
            path,
            "must be a list of {trials, epochs}, got " + KeyReader.render(roundsValue));
      }
      List<RoundSpec> rounds = new ArrayList<>();
      for (int i = 0; i < list.size(); i++) {
        String key = path + "[" + i + "]";
        ConfigValue v = list.get(i);
        if (!(v instanceof ConfigObject o2)) {
          throw r.fail(v, key, "must be {trials = N, epochs = E}, got " + KeyReader.render(v));
        }
        r.known(o2, key);
        int trials = r.integer(o2, key + ".trials", Keys.ROUND_TRIALS.field(), null);
        int epochs = r.integer(o2, key + ".epochs", Keys.ROUND_EPOCHS.field(), null);
        Confirm confirm = confirm(o2, key);
        rounds.add(r.at(o2, key + ".", () -> new RoundSpec(trials, epochs, confirm)));
      }
      return rounds;
    }

    WatchSpec watch(ConfigObject root, StudySpec study) {
      ConfigObject o = r.section(root, "watch", false, "watch");
      ConfigObject w = o == null ? ConfigFactory.empty().root() : o;
      r.known(w, "watch");
      ConfigValue roundsValue = w.get(Keys.WATCH_ROUNDS.field());
      List<RoundSpec> rounds =
          roundsValue == null || roundsValue.valueType() == ConfigValueType.NULL
              ? study.study().rounds()
              : rounds(roundsValue, Keys.WATCH_ROUNDS.path());
      int windowRows = r.integer(w, Keys.WATCH_WINDOW_ROWS);
      int evaluateRows = r.integer(w, Keys.WATCH_EVALUATE_ROWS);
      double drop = r.number(w, Keys.WATCH_DROP);
      int everyRows = r.integer(w, Keys.WATCH_EVERY_ROWS);
      int minRows = r.integer(w, Keys.WATCH_MIN_ROWS);
      int files = r.integer(w, Keys.WATCH_FILES_PER_BATCH);
      int trigger = r.integer(w, Keys.WATCH_TRIGGER_SECONDS);
      return keyed(
          root,
          () ->
              new WatchSpec(
                  study,
                  windowRows,
                  evaluateRows,
                  drop,
                  everyRows,
                  minRows,
                  rounds,
                  files,
                  trigger));
    }

    DataSpec data(ConfigObject root, ConfigObject o) {
      r.known(o, "data");
      String sourceName = r.string(o, Keys.DATA_SOURCE);
      DataSpec.Source source =
          r.at(
              o.get(Keys.DATA_SOURCE.field()),
              () -> DataSpec.Source.parse(Keys.DATA_SOURCE.path(), sourceName));
      DataSpec.Synthetic synthetic = null;
      ConfigObject syn = r.section(o, Keys.DATA_SYNTHETIC, false);
      if (source == DataSpec.Source.SYNTHETIC || syn != null) {
        // A missing section reads as an empty one: every generator setting has a default.
        ConfigObject s = syn == null ? com.typesafe.config.ConfigFactory.empty().root() : syn;
        r.known(s, "data.synthetic");
        int rows = r.integer(s, Keys.SYNTHETIC_ROWS);
        int features = r.integer(s, Keys.SYNTHETIC_FEATURES);
        int classes = r.integer(s, Keys.SYNTHETIC_CLASSES);
        double difficulty = r.number(s, Keys.SYNTHETIC_DIFFICULTY);
        long shiftAfter = r.longValue(s, Keys.SYNTHETIC_SHIFT_AFTER);
        synthetic =
            r.at(
                syn == null ? o : syn,
                () -> new DataSpec.Synthetic(rows, features, classes, difficulty, shiftAfter));
      }
      String path = r.string(o, Keys.DATA_PATH);
      String labelsPath = r.string(o, Keys.DATA_LABELS_PATH);
      String testPath = r.string(o, Keys.DATA_TEST_PATH);
      String testLabelsPath = r.string(o, Keys.DATA_TEST_LABELS_PATH);
      String labelColumn = r.string(o, Keys.DATA_LABEL_COLUMN);
      String featuresColumn = r.string(o, Keys.DATA_FEATURES_COLUMN);
      boolean header = r.bool(o, Keys.DATA_HEADER);
      Keys.Key tf = Keys.DATA_TEST_FRACTION;
      double testFraction =
          r.number(o, tf.path(), tf.field(), testPath == null ? (Double) tf.dflt() : 0.0);
      double validationFraction = r.number(o, Keys.DATA_VALIDATION_FRACTION);
      int features = r.integer(o, Keys.DATA_FEATURES);
      DataSpec.Synthetic syntheticFinal = synthetic;
      return keyed(
          root,
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

    ExecutionSpec execution(ConfigObject o, ConfigObject fin) {
      int models = ExecutionSpec.DEFAULT.finalModels();
      ExecutionSpec.FinalTrain how = ExecutionSpec.DEFAULT.finalTrain();
      int epochs = ExecutionSpec.DEFAULT.finalEpochs();
      int retrained = ExecutionSpec.DEFAULT.finalRetrained();
      if (fin != null) {
        r.known(fin, "final");
        models = r.integer(fin, Keys.FINAL_MODELS);
        epochs = r.integer(fin, Keys.FINAL_EPOCHS);
        retrained = r.integer(fin, Keys.FINAL_RETRAINED);
        String trainName = r.string(fin, Keys.FINAL_TRAIN);
        how =
            r.at(
                fin.get(Keys.FINAL_TRAIN.field()),
                () -> ExecutionSpec.FinalTrain.parse(Keys.FINAL_TRAIN.path(), trainName));
      }
      int finalModels = models;
      ExecutionSpec.FinalTrain finalTrain = how;
      int finalEpochs = epochs;
      int finalRetrained = retrained;
      if (o == null) {
        return r.at(
            fin,
            () ->
                new ExecutionSpec(
                    ExecutionSpec.DEFAULT.layout(),
                    ExecutionSpec.DEFAULT.shards(),
                    ExecutionSpec.DEFAULT.replicas(),
                    ExecutionSpec.DEFAULT.broadcastLimitMb(),
                    finalModels,
                    finalTrain,
                    finalEpochs,
                    finalRetrained));
      }
      r.known(o, "execution");
      String layoutName = r.string(o, Keys.EXECUTION_LAYOUT);
      ExecutionSpec.Layout layout =
          r.at(
              o.get(Keys.EXECUTION_LAYOUT.field()),
              () -> ExecutionSpec.Layout.parse(Keys.EXECUTION_LAYOUT.path(), layoutName));
      int shards = r.integer(o, Keys.EXECUTION_SHARDS);
      int replicas = r.integer(o, Keys.EXECUTION_REPLICAS);
      int limit = r.integer(o, Keys.EXECUTION_BROADCAST_LIMIT);
      return r.at(
          o,
          () ->
              new ExecutionSpec(
                  layout,
                  shards,
                  replicas,
                  limit,
                  finalModels,
                  finalTrain,
                  finalEpochs,
                  finalRetrained));
    }
  }
}
