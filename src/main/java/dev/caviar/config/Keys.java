package dev.caviar.config;

import dev.caviar.space.Scales;
import dev.caviar.study.Stopping;
import dev.caviar.study.StudySettings;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Every config key, declared once: its path, type, default and doc line. The reader takes its
 * defaults and field names from here, the unknown-key check its legal names, and a test holds
 * {@code conf/README.md}'s tables to exactly these rows. Rules stay in the records the reader
 * builds (house rule 2); the doc line states them for people. Defaults that code outside the reader
 * also needs ({@link StudySettings#of}, {@link ExecutionSpec#DEFAULT}) are read from their owners.
 *
 * <p>Over 400 lines on purpose: it is the table of every key, one declaration a key; splitting it
 * by section would only spread the table the README is checked against.
 */
final class Keys {
  private Keys() {}

  /** How the reader reads a key. */
  enum Type {
    SECTION,
    STRING,
    INTEGER,
    LONG,
    NUMBER,
    BOOLEAN,
    LIST,
    /** A hyperparameter value or range, typed by the catalogue. */
    HYPERPARAMETER
  }

  /**
   * One key.
   *
   * @param path the full key; {@code <name>} stands for a hyperparameter, {@code <parent>} for a
   *     choice parameter, {@code []} for each element of a list
   * @param type how it is read
   * @param dflt its default, or null when it is required or optional without one
   * @param docDefault the README's default column
   * @param doc the README's meaning column
   */
  record Key(String path, Type type, Object dflt, String docDefault, String doc) {
    Key {
      if (path == null || type == null || docDefault == null || doc == null) {
        throw new IllegalArgumentException("key: path, type and docs are required, got " + path);
      }
    }

    /** The last segment: the field inside its section. */
    String field() {
      return path.substring(path.lastIndexOf('.') + 1).replace("[]", "");
    }

    boolean required() {
      return docDefault.startsWith("required");
    }
  }

  private static final List<Key> ALL_KEYS = new ArrayList<>();

  private static Key key(String path, Type type, Object dflt, String doc) {
    return add(new Key(path, type, dflt, "`" + text(dflt) + "`", doc));
  }

  private static Key noDefault(String path, Type type, String docDefault, String doc) {
    return add(new Key(path, type, null, docDefault, doc));
  }

  private static Key add(Key k) {
    ALL_KEYS.add(k);
    return k;
  }

  private static String text(Object v) {
    return v instanceof Double d && d == Math.rint(d) ? Long.toString(d.longValue()) : "" + v;
  }

  private static final String SEARCHED = "required (numeric scales)";

  // ---- study ----
  static final Key STUDY_NAME =
      key(
          "study.name",
          Type.STRING,
          StudySettings.DEFAULT_NAME,
          "name of the study: letters, digits, `.`, `_`, `-`");
  static final Key STUDY_SEED =
      key(
          "study.seed",
          Type.LONG,
          StudySettings.DEFAULT_SEED,
          "the seed every other seed derives from (sampling, training, splits)");
  static final Key STUDY_ROUNDS =
      noDefault(
          "study.rounds",
          Type.LIST,
          "required",
          "the schedule: a list of rounds, from coarse to fine");
  static final Key ROUND_TRIALS =
      noDefault(
          "study.rounds[].trials",
          Type.INTEGER,
          "required",
          "trials in the round, carried-over trials included (>= 1)");
  static final Key ROUND_EPOCHS =
      noDefault(
          "study.rounds[].epochs",
          Type.INTEGER,
          "required",
          "epochs each trial trains in the round: the fidelity (>= 1, never decreasing)");
  static final Key ROUND_CONFIRM =
      noDefault(
          "study.rounds[].confirm",
          Type.SECTION,
          "nothing confirmed",
          "once the round's trials have ended, its best trials train more replicates (seeds, or"
              + " shards in the sharded layout) and rank on their mean, so that one lucky seed"
              + " does not pick the carry, the elite or the winner");
  static final Key CONFIRM_TOP =
      noDefault(
          "study.rounds[].confirm.top",
          Type.INTEGER,
          "required",
          "the best OK trials confirmed (>= 0, at most the round's trials)");
  static final Key CONFIRM_REPLICATES =
      noDefault(
          "study.rounds[].confirm.replicates",
          Type.INTEGER,
          "required",
          "the replicates each confirmed trial ends with (> `execution.replicas`; at most the"
              + " shard count in the sharded layout)");
  static final Key STUDY_ELITE =
      key(
          "study.elite",
          Type.NUMBER,
          StudySettings.DEFAULT_ELITE,
          "the elite the narrowing keeps: a fraction in (0, 1) of the OK trials, or a whole count"
              + " >= 1");
  static final Key STUDY_MARGIN =
      key(
          "study.margin",
          Type.NUMBER,
          StudySettings.DEFAULT_MARGIN,
          "padding around the elite, as a share of the current width (in [0, 1])");
  static final Key STUDY_CARRY =
      key(
          "study.carry",
          Type.INTEGER,
          StudySettings.DEFAULT_CARRY,
          "best trials of a round re-scored in the next round at its fidelity (<= every later"
              + " round's trials)");
  static final Key STUDY_CARRIED =
      key(
          "study.carried",
          Type.STRING,
          StudySettings.DEFAULT_CARRIED.configName(),
          "what a carried trial trains from: `restart` (a new seed, from scratch, for the new"
              + " round's epochs) or `continue` (its own seed and network, trained on from where the"
              + " previous round left it to the new round's epochs: the epochs already trained are"
              + " not paid again)");
  static final Key STUDY_METRIC =
      key(
          "study.metric",
          Type.STRING,
          StudySettings.DEFAULT_METRIC.configName(),
          "`accuracy` (maximised) or `loss` (minimised), on validation rows");
  static final Key STUDY_DIVERGENCE =
      key(
          "study.divergenceFactor",
          Type.NUMBER,
          StudySettings.DEFAULT_DIVERGENCE_FACTOR,
          "a replicate is DIVERGED when its loss exceeds this many times its initial loss (> 1)");
  static final Key STUDY_SAMPLER =
      key(
          "study.sampler",
          Type.STRING,
          StudySettings.DEFAULT_SAMPLER,
          "`random` (independent draws, the default), `sobol` (low-discrepancy) or `grid`"
              + " (baseline)");
  static final Key STUDY_MIN_WIDTH =
      key(
          "study.minWidth",
          Type.NUMBER,
          StudySettings.DEFAULT_MIN_WIDTH,
          "narrowest range, as a share of the initial width in the transformed coordinate (in (0,"
              + " 1])");
  static final Key STUDY_CHOICE_FLOOR =
      key(
          "study.choiceFloor",
          Type.INTEGER,
          StudySettings.DEFAULT_CHOICE_FLOOR,
          "fewest values a `choice` keeps after narrowing (>= 1)");
  static final Key STUDY_STOPPING =
      noDefault(
          "study.stopping",
          Type.SECTION,
          "no early stopping",
          "within-round early stopping: at checkpoints, the trials ranked below the kept share stop"
              + " (STOPPED, with their checkpoint score) and the cores go to the rest");
  static final Key STOPPING_RULE =
      key(
          "study.stopping.rule",
          Type.STRING,
          Stopping.NONE.rule().configName(),
          "`none` or `halving` (successive halving on the validation metric at each checkpoint)");
  static final Key STOPPING_AT =
      key(
          "study.stopping.at",
          Type.LIST,
          Stopping.NONE.at(),
          "checkpoints as shares in (0, 1) of each round's epochs, increasing; rounded to whole"
              + " epochs, a round too short for one stops nothing");
  static final Key STOPPING_KEEP =
      key(
          "study.stopping.keep",
          Type.NUMBER,
          Stopping.NONE.keep(),
          "share in (0, 1) of the trials at a checkpoint that train on (rounded up, at least one)");
  static final Key STOPPING_MIN_EPOCHS =
      key(
          "study.stopping.minEpochs",
          Type.INTEGER,
          Stopping.NONE.minEpochs(),
          "the shortest round that stops trials (>= 1): early in a short round the ranking predicts"
              + " the end poorly");
  static final Key STUDY_WARM_START =
      noDefault(
          "study.warmStart",
          Type.STRING,
          "none",
          "an earlier study's output directory (any Hadoop path): the first round samples that"
              + " study's final region instead of `space`'s ranges, which stay the hard frame"
              + " (re-testing an earlier region, or a pipeline's next run). Its parameters must be"
              + " the same as `space`'s");

  // ---- data ----
  static final Key DATA_SOURCE =
      noDefault(
          "data.source",
          Type.STRING,
          "required",
          "`synthetic`, `idx`, `csv`, `libsvm` or `parquet`; `dataframe` is the DataFrame given"
              + " to `CaviarTuner.fit` (Java, Spark ML), which it is by default there");
  static final Key DATA_PATH =
      noDefault(
          "data.path",
          Type.STRING,
          "none",
          "training data (any Hadoop path; idx: the images file); required unless synthetic"
              + " or dataframe");
  static final Key DATA_LABELS_PATH =
      noDefault("data.labelsPath", Type.STRING, "none", "idx: the training labels file");
  static final Key DATA_TEST_PATH =
      noDefault(
          "data.testPath",
          Type.STRING,
          "none",
          "test data; without it `testFraction` of the rows are held out");
  static final Key DATA_TEST_LABELS_PATH =
      noDefault("data.testLabelsPath", Type.STRING, "none", "idx: the test labels file");
  static final Key DATA_LABEL_COLUMN =
      key("data.labelColumn", Type.STRING, "label", "csv and parquet: the label column");
  static final Key DATA_FEATURES_COLUMN =
      noDefault(
          "data.featuresColumn",
          Type.STRING,
          "none",
          "parquet: a vector column; none means every other numeric column");
  static final Key DATA_HEADER =
      key("data.header", Type.BOOLEAN, true, "csv: whether the first line names the columns");

  /** The test share when no test path is given; with one, nothing is held out. */
  static final Key DATA_TEST_FRACTION =
      add(
          new Key(
              "data.testFraction",
              Type.NUMBER,
              0.2,
              "`0.2` (`0` with a test path)",
              "share of rows held out as the test set, in [0, 1)"));

  static final Key DATA_VALIDATION_FRACTION =
      key(
          "data.validationFraction",
          Type.NUMBER,
          0.2,
          "share of each shard's rows used to score trials, in (0, 1)");
  static final Key DATA_FEATURES =
      key(
          "data.features",
          Type.INTEGER,
          0,
          "libsvm: the number of features; `0` = the largest index in the training and test"
              + " files");
  static final Key DATA_SYNTHETIC =
      noDefault(
          "data.synthetic",
          Type.SECTION,
          "see below",
          "the generator's settings, for `source = synthetic`");
  static final Key SYNTHETIC_ROWS =
      key("data.synthetic.rows", Type.INTEGER, 8000, "rows generated, training and test (>= 10)");
  static final Key SYNTHETIC_FEATURES =
      key("data.synthetic.features", Type.INTEGER, 20, "input width (>= 1)");
  static final Key SYNTHETIC_CLASSES =
      key("data.synthetic.classes", Type.INTEGER, 4, "classes (>= 2)");
  static final Key SYNTHETIC_DIFFICULTY =
      key(
          "data.synthetic.difficulty",
          Type.NUMBER,
          0.3,
          "0 (separable) to 1 (overlapping, noisy labels)");
  static final Key SYNTHETIC_SHIFT_AFTER =
      key(
          "data.synthetic.shiftAfter",
          Type.LONG,
          0L,
          "a concept shift: rows from this index on have their labels rotated (class c becomes"
              + " c + 1 mod classes), the drift `caviar watch` must notice; `0` = no shift");

  // ---- model and space: names from the hyperparameter catalogue ----
  static final Key MODEL =
      noDefault(
          "model.<name>",
          Type.HYPERPARAMETER,
          "trainer default",
          "a hyperparameter fixed for every trial; `<name>` from the table below");
  static final Key SPACE_SCALE =
      noDefault(
          "space.<name>.scale",
          Type.STRING,
          "required",
          "`" + String.join("`, `", Scales.names()).replaceAll("`, `([^`]*)$", "` or `$1") + "`");
  static final Key SPACE_LOW =
      noDefault(
          "space.<name>.low",
          Type.NUMBER,
          SEARCHED,
          "lowest value (integer on `int`, `intLog`, `pow2`)");
  static final Key SPACE_HIGH =
      noDefault("space.<name>.high", Type.NUMBER, SEARCHED, "highest value");
  static final Key SPACE_VALUES =
      noDefault(
          "space.<name>.values",
          Type.LIST,
          "required (`choice`)",
          "the values, e.g. `[sgd, momentum, adam]`");
  static final Key SPACE_VALUE =
      noDefault(
          "space.<name>.value", Type.HYPERPARAMETER, "required (`fixed`)", "the single value");
  static final Key SPACE_LIMITS =
      noDefault(
          "space.<name>.limits",
          Type.LIST,
          "see below",
          "`[low, high]`: how far the boundary rule may widen the range");
  static final Key SPACE_WHEN =
      noDefault(
          "space.<name>.when.<parent>",
          Type.LIST,
          "none",
          "active only when the `choice` parameter `<parent>` takes one of these values, e.g."
              + " `when { optimizer = [adam] }`; inactive parameters are absent from the trial");

  // ---- execution ----
  static final Key EXECUTION_LAYOUT =
      key(
          "execution.layout",
          Type.STRING,
          ExecutionSpec.DEFAULT.layout().configName(),
          "`sharded` (data stays in its partitions), `broadcast` (packed data shipped once; each"
              + " task trains whole trials on all of it) or `auto` (broadcast when the packed data"
              + " is under `broadcastLimitMb` and under a quarter of an executor's memory;"
              + " otherwise sharded)");
  static final Key EXECUTION_SHARDS =
      key(
          "execution.shards",
          Type.INTEGER,
          ExecutionSpec.DEFAULT.shards(),
          "shards (Spark partitions) of the training data; 0 = from the data only: one per"
              + " 10,000 training rows, at least 4, at most 4096 (never from the cores, so that"
              + " every cluster shards alike; `data.json` records it and `--resume` refuses a"
              + " different count)");
  static final Key EXECUTION_REPLICAS =
      key(
          "execution.replicas",
          Type.INTEGER,
          ExecutionSpec.DEFAULT.replicas(),
          "shards each trial trains on (sharded layout): several give a mean and a spread, so"
              + " narrowing can tell a winner from noise (<= shards)");
  static final Key EXECUTION_BROADCAST_LIMIT =
      key(
          "execution.broadcastLimitMb",
          Type.INTEGER,
          ExecutionSpec.DEFAULT.broadcastLimitMb(),
          "packed-data size under which `auto` picks broadcast; `auto` also needs the packed data"
              + " under a quarter of an executor's memory (see `docs/scaling.md`)");

  // ---- final ----
  static final Key FINAL_MODELS =
      key(
          "final.models",
          Type.INTEGER,
          ExecutionSpec.DEFAULT.finalModels(),
          "networks the final model averages (class probabilities): with `final.train ="
              + " retrain`, seeds of the best configuration trained in parallel on executors, each"
              + " on all training rows (broadcast layout; the sharded layout trains one model per"
              + " shard); with `lastRound` or `continue`, the last round's best trials; 0 = one per"
              + " core, at"
              + " most 8 (the default depends on the cores: set it for a final model that is the"
              + " same on every cluster)");
  static final Key FINAL_TRAIN =
      key(
          "final.train",
          Type.STRING,
          ExecutionSpec.DEFAULT.finalTrain().configName(),
          "`retrain` (the best configuration trained again on all training rows, validation rows"
              + " included), `lastRound` (no training: the networks the last round trained for"
              + " its best `final.models` trials, averaged; saves the retraining's time, the"
              + " networks never saw the validation rows) or `continue` (those networks trained on"
              + " for `final.epochs` more epochs on all training rows, validation rows included,"
              + " from where the last round left them: weights, optimizer state and learning-rate"
              + " schedule carry on)");
  static final Key FINAL_EPOCHS =
      key(
          "final.epochs",
          Type.INTEGER,
          ExecutionSpec.DEFAULT.finalEpochs(),
          "with `final.train = continue`, the epochs each network trains on all rows after the"
              + " last round's; 0 = a sixth of the last round's epochs, at least 1");

  static final Key FINAL_RETRAINED =
      key(
          "final.retrained",
          Type.INTEGER,
          ExecutionSpec.DEFAULT.finalRetrained(),
          "with `final.train = lastRound` or `continue`, networks of the best configuration that"
              + " join the last round's in the average, each trained from its own seed on all"
              + " training rows as `retrain` trains them (broadcast layout; the sharded layout"
              + " trains one per shard); 0 = none. Two kinds of difference, configurations and"
              + " seeds, for the time of one retraining per core");

  // ---- watch: the streaming re-tune (caviar watch) ----
  static final Key WATCH_WINDOW_ROWS =
      key(
          "watch.windowRows",
          Type.INTEGER,
          WatchSpec.DEFAULT_WINDOW_ROWS,
          "the window a re-tune learns from: the most recent rows, kept as Parquet under the"
              + " watch directory (>= 10)");
  static final Key WATCH_EVALUATE_ROWS =
      key(
          "watch.evaluateRows",
          Type.INTEGER,
          WatchSpec.DEFAULT_EVALUATE_ROWS,
          "rows the drop rule averages the prequential accuracy over (the most recent whole"
              + " batches the current model scored; >= 1, <= windowRows)");
  static final Key WATCH_DROP =
      key(
          "watch.drop",
          Type.NUMBER,
          WatchSpec.DEFAULT_DROP,
          "re-tune when that accuracy falls more than this below the accuracy the current model"
              + " was published with (its test accuracy on the window), in (0, 1); the re-tune"
              + " then learns from the rows that showed the drop");
  static final Key WATCH_EVERY_ROWS =
      key(
          "watch.everyRows",
          Type.INTEGER,
          WatchSpec.DEFAULT_EVERY_ROWS,
          "re-tune after this many rows since the last re-tune whatever the accuracy; `0` ="
              + " never");
  static final Key WATCH_MIN_ROWS =
      key(
          "watch.minRows",
          Type.INTEGER,
          WatchSpec.DEFAULT_MIN_ROWS,
          "rows the window must hold before the first model is tuned (>= 10, <= windowRows)");
  static final Key WATCH_ROUNDS =
      noDefault(
          "watch.rounds",
          Type.LIST,
          "`study.rounds`",
          "the re-tune's schedule, warm-started from the current model's final region (the first"
              + " model uses `study.rounds`)");
  static final Key WATCH_ROUND_TRIALS =
      noDefault(
          "watch.rounds[].trials",
          Type.INTEGER,
          "required",
          "trials in the round, as in `study.rounds`");
  static final Key WATCH_ROUND_EPOCHS =
      noDefault(
          "watch.rounds[].epochs",
          Type.INTEGER,
          "required",
          "epochs each trial trains in the round, as in `study.rounds`");
  static final Key WATCH_FILES_PER_BATCH =
      key(
          "watch.filesPerBatch",
          Type.INTEGER,
          WatchSpec.DEFAULT_FILES_PER_BATCH,
          "most files a micro-batch takes from `data.path` (>= 1)");
  static final Key WATCH_TRIGGER_SECONDS =
      key(
          "watch.triggerSeconds",
          Type.INTEGER,
          WatchSpec.DEFAULT_TRIGGER_SECONDS,
          "seconds between micro-batches when files wait (>= 0)");

  // ---- output ----
  static final Key OUTPUT_DIR =
      add(
          new Key(
              OutputSpec.DIR_KEY,
              Type.STRING,
              null,
              "`output/<study.name>`",
              "the study's output directory (local, `hdfs://`, `s3a://`)"));

  /** Every key, in the README's order. */
  static List<Key> all() {
    return List.copyOf(ALL_KEYS);
  }

  /** The sections, then the fields directly under {@code prefix} ("" for the sections). */
  static Set<String> fields(String prefix) {
    Set<String> out = new LinkedHashSet<>();
    for (Key k : ALL_KEYS) {
      String p = k.path().replace("[]", "");
      if (prefix.isEmpty()) {
        out.add(p.substring(0, p.indexOf('.')));
      } else if (p.startsWith(prefix + ".")) {
        String rest = p.substring(prefix.length() + 1);
        out.add(rest.contains(".") ? rest.substring(0, rest.indexOf('.')) : rest);
      }
    }
    return out;
  }

  /**
   * {@code ", did you mean 'x'?"} for the closest candidate within a few edits ({@code 'x' or 'y'}
   * when several are as close: {@code final.retrain} is as near {@code train} as {@code
   * retrained}), else "". A key holding a character outside ASCII (a Cyrillic {@code е} that looks
   * like {@code e}) is named, since it cannot be seen.
   */
  static String suggest(String key, Collection<String> candidates) {
    List<String> closest = new ArrayList<>();
    int bestDistance = Integer.MAX_VALUE;
    for (String c : candidates) {
      int d = distance(key.toLowerCase(Locale.ROOT), c.toLowerCase(Locale.ROOT));
      if (d < bestDistance) {
        bestDistance = d;
        closest.clear();
      }
      if (d == bestDistance) {
        closest.add("'" + c + "'");
      }
    }
    String best = closest.isEmpty() ? null : String.join(" or ", closest);
    int allowed = Math.max(2, key.length() / 3);
    String hidden = "";
    for (int i = 0; i < key.length(); i++) {
      char ch = key.charAt(i);
      if (ch > 126) {
        hidden = String.format(Locale.ROOT, " (it holds '%c', U+%04X, not ASCII)", ch, (int) ch);
        break;
      }
    }
    return best != null && bestDistance <= allowed
        ? hidden + ", did you mean " + best + "?"
        : hidden;
  }

  /** Levenshtein distance. */
  static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
