package dev.caviar.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.caviar.config.DataSpec;
import dev.caviar.config.ExecutionSpec;
import dev.caviar.config.ExecutionSpec.Layout;
import dev.caviar.data.Datasets;
import dev.caviar.data.LoadedData;
import dev.caviar.data.PackedShard;
import dev.caviar.nn.DataView;
import dev.caviar.nn.Model;
import dev.caviar.nn.NetworkSpec;
import dev.caviar.nn.Trainer;
import dev.caviar.nn.TrainingResult;
import dev.caviar.report.ResultTables;
import dev.caviar.report.StudyDirectory;
import dev.caviar.space.Domain;
import dev.caviar.space.Region;
import dev.caviar.space.SearchSpace;
import dev.caviar.study.Best;
import dev.caviar.study.NarrowingRecord;
import dev.caviar.study.Purpose;
import dev.caviar.study.ReplicateScore;
import dev.caviar.study.RoundPlan;
import dev.caviar.study.RoundRecord;
import dev.caviar.study.Seeds;
import dev.caviar.study.Study;
import dev.caviar.study.StudySettings;
import dev.caviar.study.Trial;
import dev.caviar.study.TrialResult;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A whole study on Spark: load and pack the data once, run the rounds through a {@link
 * SparkRunner}, write each round atomically, resume from the last whole round, then retrain the
 * best configuration on all training rows, score it on the test rows and save it as a {@link
 * TunedModel}. Usable from the command line and from notebooks alike.
 */
public final class SparkStudy {
  private static final Logger LOG = LoggerFactory.getLogger(SparkStudy.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Everything a study needs, validated by the config reader (or built in code).
   *
   * @param start the region the first round samples (an earlier study's, see {@link #finalRegion});
   *     null to start from the space's own ranges
   */
  public record Setup(
      StudySettings settings,
      SearchSpace space,
      Map<String, Object> model,
      DataSpec data,
      ExecutionSpec execution,
      String outputDir,
      String resolvedConfig,
      Region start) {
    /** A cold start from the space's own ranges. */
    public Setup(
        StudySettings settings,
        SearchSpace space,
        Map<String, Object> model,
        DataSpec data,
        ExecutionSpec execution,
        String outputDir,
        String resolvedConfig) {
      this(settings, space, model, data, execution, outputDir, resolvedConfig, null);
    }

    public Setup {
      model = Map.copyOf(model);
      Networks.checkNames("model", model.keySet());
      Networks.checkNames("space", space.names());
      for (String name : space.names()) {
        if (model.containsKey(name)) {
          throw new IllegalArgumentException(
              "model." + name + ": is also searched in space." + name + "; keep one of the two");
        }
      }
    }
  }

  /** What the console (or a notebook) hears while the study runs. */
  public interface Listener extends SparkRunner.Progress {
    default void started(LoadedData data, Layout layout, int resumedRounds) {}

    default void roundStarted(RoundPlan plan, List<Trial> trials) {}

    default void roundFinished(RoundRecord round, long nanos, String path) {}

    @Override
    default void taskDone(
        RoundPlan plan, int pairsDone, int pairsTotal, List<ReplicateScore> arrived) {}

    Listener NONE = new Listener() {};
  }

  /** The end of a study. */
  public record Outcome(
      String directory,
      Study study,
      Best best,
      NetworkSpec finalSpec,
      double testAccuracy,
      double testLoss,
      String modelPath) {}

  private SparkStudy() {}

  /**
   * Runs (or with {@code resume}, continues) a study.
   *
   * @throws IllegalArgumentException for bad input: the message names the key or file
   * @throws NoUsableTrialException when every trial of the last round diverged or failed
   */
  public static Outcome run(SparkSession spark, Setup setup, boolean resume, Listener listener) {
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    StudyDirectory dir =
        StudyDirectory.at(setup.outputDir(), spark.sparkContext().hadoopConfiguration());
    checkDirectory(dir, setup, resume);

    StudySettings settings = setup.settings();
    ExecutionSpec exec = setup.execution();
    int cores = Math.max(1, spark.sparkContext().defaultParallelism());
    int shards = exec.shards() > 0 ? exec.shards() : Math.max(cores, exec.replicas());
    // The data is read and checked before anything is written: a study that fails on its input
    // leaves the directory as it found it, so the same command runs once the input is fixed.
    LoadedData data = Datasets.load(spark, setup.data(), settings.seed(), shards);
    startDirectory(dir, setup, resume);
    Layout layout = exec.layout();
    if (layout == Layout.AUTO) {
      layout =
          data.packedBytes() <= (long) exec.broadcastLimitMb() << 20
              ? Layout.BROADCAST
              : Layout.SHARDED;
    }
    String blas = dev.ludovic.netlib.blas.BLAS.getInstance().getClass().getName();
    LOG.info("data: {}; layout {}; BLAS {}", data, layout, blas);
    dir.writeText("data.json", dataJson(data, layout, shards, cores, blas));

    Broadcast<PackedShard> all = null;
    if (layout == Layout.BROADCAST) {
      all = sc.broadcast(data.trainingSet());
    }
    Study study =
        setup.start() == null
            ? Study.create(settings, setup.space())
            : Study.warmStart(settings, setup.space(), setup.start());
    int resumed = resume ? replay(dir, study) : 0;
    dir.deleteRoundsAfter(resumed - 1);
    listener.started(data, layout, resumed);

    SparkRunner runner =
        new SparkRunner(
            sc,
            layout,
            layout == Layout.SHARDED ? data.shards() : null,
            all,
            data.width(),
            exec.replicas(),
            setup.model(),
            settings.divergenceFactor(),
            listener);
    while (!study.isFinished()) {
      long asked = System.nanoTime();
      RoundPlan plan = study.plan();
      List<Trial> trials = study.ask();
      listener.roundStarted(plan, trials);
      long start = System.nanoTime();
      List<ReplicateScore> scores = runner.run(plan, trials);
      long trained = System.nanoTime();
      study.tellScores(scores);
      RoundRecord rec = study.history().get(study.history().size() - 1);
      long told = System.nanoTime();
      RoundTiming timing =
          RoundTiming.of(trained - start, scores, cores, (start - asked) + (told - trained));
      writeRound(spark, dir, rec, scores, timing);
      long written = System.nanoTime();
      LOG.info(
          "round {}: cores busy {}% of {} ms; driver {} ms between rounds plus {} ms writing",
          plan.round(),
          Math.round(100 * timing.busyFraction()),
          timing.wallMillis(),
          timing.driverMillis(),
          (written - told) / 1_000_000);
      listener.roundFinished(
          rec, written - start, dir.resolve(dir.roundPath(plan.round())).toString());
    }
    if (all != null) {
      all.unpersist();
    }

    Best best =
        study
            .best()
            .orElseThrow(
                () ->
                    new NoUsableTrialException(
                        "every trial of the last round diverged or failed; see "
                            + dir.resolve("rounds")
                            + " for the reasons"));
    return finish(spark, dir, setup, study, data, best);
  }

  /** Refuses a directory the study may not use; writes nothing. */
  private static void checkDirectory(StudyDirectory dir, Setup setup, boolean resume) {
    if (isFile(dir)) {
      throw new IllegalArgumentException(
          "output.dir: " + dir.root() + " is a file, not a directory; choose a directory");
    }
    if (resume) {
      if (!dir.exists("config.conf")) {
        throw new IllegalArgumentException(
            "--resume: " + dir.root() + " holds no study (no config.conf) to resume");
      }
      String stored = dir.readText("config.conf");
      if (!stored.equals(setup.resolvedConfig())) {
        throw new IllegalArgumentException(
            "--resume: the configuration differs from the one stored in "
                + dir.resolve("config.conf")
                + " at: "
                + firstDifference(stored, setup.resolvedConfig())
                + "; resume with the same configuration, or start a new study in another"
                + " output.dir");
      }
    } else if (dir.isNonEmpty()) {
      throw new IllegalArgumentException(
          "output.dir: "
              + dir.root()
              + " already holds files; pass --resume to continue that study, or choose"
              + " another directory");
    }
  }

  private static boolean isFile(StudyDirectory dir) {
    try {
      return dir.fileSystem().getFileStatus(dir.root()).isFile();
    } catch (java.io.FileNotFoundException e) {
      return false;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("output.dir: cannot read " + dir.root(), e);
    }
  }

  /** The study's first files, once its configuration and data have been checked. */
  private static void startDirectory(StudyDirectory dir, Setup setup, boolean resume) {
    if (resume) {
      // A resumed study is not finished until it writes best.json again.
      dir.delete("best.json");
    } else {
      dir.writeText("config.conf", setup.resolvedConfig());
    }
    dir.writeText("versions.json", versionsJson());
  }

  private static String firstDifference(String a, String b) {
    String[] x = a.split("\n");
    String[] y = b.split("\n");
    for (int i = 0; i < Math.max(x.length, y.length); i++) {
      String l = i < x.length ? x[i].trim() : "(nothing)";
      String r = i < y.length ? y[i].trim() : "(nothing)";
      if (!l.equals(r)) {
        return "stored '" + l + "', now '" + r + "'";
      }
    }
    return "(whitespace)";
  }

  /** Tells the study every complete round on disk; returns how many. */
  private static int replay(StudyDirectory dir, Study study) {
    List<Integer> rounds = dir.completeRounds();
    for (int r : rounds) {
      if (study.isFinished()) {
        break;
      }
      List<Trial> asked = study.ask();
      String file = dir.roundPath(r) + "/replicates.jsonl";
      List<ReplicateScore> stored =
          ResultTables.readReplicates(dir.readText(file), dir.resolve(file).toString());
      Map<Integer, Trial> byNumber = new LinkedHashMap<>();
      for (Trial t : asked) {
        byNumber.put(t.number(), t);
      }
      for (ReplicateScore s : stored) {
        Trial t = byNumber.get(s.trial());
        if (t == null || t.seedFor(s.shard()) != s.seed()) {
          throw new IllegalArgumentException(
              "--resume: "
                  + dir.resolve(file)
                  + ": trial "
                  + s.trial()
                  + " shard "
                  + s.shard()
                  + " was trained with seed "
                  + s.seed()
                  + " but this configuration gives "
                  + (t == null ? "no such trial" : "seed " + t.seedFor(s.shard()))
                  + " (did the data, the shards or the seed change?)");
        }
      }
      study.tellScores(stored);
      LOG.info("resume: round {} read back ({} scores)", r, stored.size());
    }
    return Math.min(rounds.size(), study.round());
  }

  private static void writeRound(
      SparkSession spark,
      StudyDirectory dir,
      RoundRecord rec,
      List<ReplicateScore> scores,
      RoundTiming timing) {
    StudyDirectory.RoundWriter w = dir.beginRound(rec.round());
    w.writeText("timing.json", ResultTables.pretty(JSON.valueToTree(timing)));
    w.writeText("trials.csv", ResultTables.trialsCsv(rec.results()));
    w.writeText("trials.json", ResultTables.trialsJson(rec.results()));
    w.writeText("replicates.csv", ResultTables.replicatesCsv(scores));
    w.writeText("replicates.jsonl", ResultTables.replicatesJsonLines(scores));
    w.writeText("region.json", regionJson(rec));
    writeParquet(spark, trialsTable(rec.results()), w.path("trials.parquet").toString());
    writeParquet(spark, replicatesTable(scores), w.path("replicates.parquet").toString());
    w.commit();
  }

  private record Table(StructType schema, List<Row> rows) {}

  private static void writeParquet(SparkSession spark, Table t, String path) {
    spark
        .createDataFrame(t.rows(), t.schema())
        .coalesce(1)
        .write()
        .mode(SaveMode.ErrorIfExists)
        .parquet(path);
  }

  private static Table replicatesTable(List<ReplicateScore> scores) {
    StructType schema =
        new StructType()
            .add("round", DataTypes.IntegerType, false)
            .add("trial", DataTypes.IntegerType, false)
            .add("shard", DataTypes.IntegerType, false)
            .add("seed", DataTypes.LongType, false)
            .add("status", DataTypes.StringType, false)
            .add("validationAccuracy", DataTypes.DoubleType, true)
            .add("validationLoss", DataTypes.DoubleType, true)
            .add("trainLoss", DataTypes.DoubleType, true)
            .add("epochsRun", DataTypes.IntegerType, false)
            .add("trainingMillis", DataTypes.LongType, false)
            .add("reason", DataTypes.StringType, true);
    List<Row> rows = new ArrayList<>();
    for (ReplicateScore r : scores) {
      rows.add(
          RowFactory.create(
              r.round(),
              r.trial(),
              r.shard(),
              r.seed(),
              r.status().name(),
              r.validationAccuracy(),
              r.validationLoss(),
              r.trainLoss(),
              r.epochsRun(),
              r.trainingNanos() / 1_000_000,
              r.reason()));
    }
    return new Table(schema, rows);
  }

  private static Table trialsTable(List<TrialResult> results) {
    Map<String, DataType> params = new java.util.TreeMap<>();
    for (TrialResult r : results) {
      for (Map.Entry<String, Object> e : r.trial().params().entrySet()) {
        Object v = e.getValue();
        params.putIfAbsent(
            e.getKey(),
            v instanceof Number
                ? DataTypes.DoubleType
                : v instanceof Boolean ? DataTypes.BooleanType : DataTypes.StringType);
      }
    }
    StructType schema =
        new StructType()
            .add("round", DataTypes.IntegerType, false)
            .add("trial", DataTypes.IntegerType, false)
            .add("carriedFrom", DataTypes.IntegerType, false)
            .add("epochs", DataTypes.IntegerType, false)
            .add("seed", DataTypes.LongType, false)
            .add("status", DataTypes.StringType, false)
            .add("metric", DataTypes.StringType, false)
            .add("mean", DataTypes.DoubleType, true)
            .add("std", DataTypes.DoubleType, true)
            .add("n", DataTypes.IntegerType, false)
            .add("min", DataTypes.DoubleType, true)
            .add("max", DataTypes.DoubleType, true)
            .add("diverged", DataTypes.IntegerType, false)
            .add("failed", DataTypes.IntegerType, false);
    for (Map.Entry<String, DataType> p : params.entrySet()) {
      schema =
          schema.add(
              new StructField(
                  p.getKey(), p.getValue(), true, org.apache.spark.sql.types.Metadata.empty()));
    }
    List<Row> rows = new ArrayList<>();
    for (TrialResult r : results) {
      List<Object> v = new ArrayList<>();
      Trial t = r.trial();
      v.addAll(
          List.of(
              t.round(),
              t.number(),
              t.carriedFrom(),
              t.epochs(),
              t.seed(),
              r.status().name(),
              r.objective().configName()));
      v.add(r.mean());
      v.add(r.std());
      v.add(r.n());
      v.add(r.min());
      v.add(r.max());
      v.add(r.diverged());
      v.add(r.failed());
      for (Map.Entry<String, DataType> p : params.entrySet()) {
        Object x = t.params().get(p.getKey());
        if (x == null) {
          v.add(null);
        } else if (p.getValue() == DataTypes.DoubleType && x instanceof Number n) {
          v.add(n.doubleValue());
        } else if (p.getValue() == DataTypes.BooleanType && x instanceof Boolean b) {
          v.add(b);
        } else {
          v.add(p.getValue() == DataTypes.StringType ? x.toString() : null);
        }
      }
      rows.add(RowFactory.create(v.toArray()));
    }
    return new Table(schema, rows);
  }

  private static String regionJson(RoundRecord rec) {
    ObjectNode o = JSON.createObjectNode();
    o.put("round", rec.round());
    o.put("epochs", rec.epochs());
    ObjectNode sampled = o.putObject("sampled");
    for (Map.Entry<String, dev.caviar.space.Domain> e : rec.region().domains().entrySet()) {
      sampled.put(e.getKey(), e.getValue().describe());
    }
    // The same bounds as numbers, so that readers (the report, notebooks) need not parse text.
    ObjectNode bounds = o.putObject("bounds");
    for (Map.Entry<String, dev.caviar.space.Domain> e : rec.region().domains().entrySet()) {
      bounds.set(e.getKey(), boundsNode(e.getValue()));
    }
    ArrayNode narrowing = o.putArray("narrowing");
    for (NarrowingRecord n : rec.narrowing()) {
      ObjectNode x = narrowing.addObject();
      x.put("parameter", n.parameter());
      x.put("old", n.oldRange().describe());
      x.put("new", n.newRange().describe());
      x.set("oldBounds", boundsNode(n.oldRange()));
      x.set("newBounds", boundsNode(n.newRange()));
      x.put("rule", n.rule().name());
      x.put("eliteCount", n.eliteCount());
      x.put("note", n.note());
    }
    return ResultTables.pretty(o);
  }

  /**
   * The region an earlier study would have sampled next: the bounds its last complete round sampled
   * (the outcome of its last narrowing), read back from that round's {@code region.json}.
   *
   * @throws IllegalArgumentException naming the directory or file when there is no complete round
   *     or the file cannot be read as a region
   */
  public static Region finalRegion(StudyDirectory earlier) {
    List<Integer> rounds = earlier.completeRounds();
    if (rounds.isEmpty()) {
      throw new IllegalArgumentException(
          "study.warmStart: " + earlier.root() + " holds no complete round to start from");
    }
    String file = earlier.roundPath(rounds.get(rounds.size() - 1)) + "/region.json";
    try {
      com.fasterxml.jackson.databind.JsonNode bounds =
          JSON.readTree(earlier.readText(file)).path("bounds");
      Map<String, Domain> domains = new java.util.TreeMap<>();
      for (Map.Entry<String, com.fasterxml.jackson.databind.JsonNode> e : bounds.properties()) {
        domains.put(e.getKey(), domainOf(e.getValue()));
      }
      if (domains.isEmpty()) {
        throw new IllegalArgumentException("no bounds");
      }
      return new Region(domains);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(
          "study.warmStart: " + earlier.resolve(file) + ": not a region file: " + e.getMessage(),
          e);
    }
  }

  private static Domain domainOf(com.fasterxml.jackson.databind.JsonNode b) {
    String scale = b.path("scale").asText();
    double lo = b.path("low").asDouble();
    double hi = b.path("high").asDouble();
    return switch (scale) {
      case "linear" -> new Domain.Linear(lo, hi);
      case "log" -> new Domain.Log(lo, hi);
      case "oneMinusLog" -> new Domain.OneMinusLog(lo, hi);
      case "int" -> new Domain.IntUniform((int) lo, (int) hi);
      case "intLog" -> new Domain.IntLog((int) lo, (int) hi);
      case "pow2" -> new Domain.Pow2((int) lo, (int) hi);
      case "choice" -> new Domain.Choice(values(b.path("values")));
      case "fixed" -> new Domain.Fixed(values(b.path("values")).get(0));
      default -> throw new IllegalArgumentException("unknown scale '" + scale + "'");
    };
  }

  private static List<Object> values(com.fasterxml.jackson.databind.JsonNode array) {
    List<Object> out = new ArrayList<>();
    for (com.fasterxml.jackson.databind.JsonNode v : array) {
      out.add(
          v.isIntegralNumber()
              ? (Object) v.intValue()
              : v.isNumber()
                  ? (Object) v.doubleValue()
                  : v.isBoolean() ? v.booleanValue() : v.asText());
    }
    return out;
  }

  /** {scale, low, high} for a numeric domain, {scale, values} for a choice or fixed value. */
  private static ObjectNode boundsNode(dev.caviar.space.Domain d) {
    ObjectNode b = JSON.createObjectNode();
    b.put("scale", d.scale());
    if (d instanceof dev.caviar.space.Domain.Numeric n) {
      b.put("low", n.lowBound());
      b.put("high", n.highBound());
    } else if (d instanceof dev.caviar.space.Domain.Choice c) {
      b.set("values", JSON.valueToTree(c.values()));
    } else if (d instanceof dev.caviar.space.Domain.Fixed f) {
      b.set("values", JSON.valueToTree(List.of(f.value())));
    }
    return b;
  }

  private static Outcome finish(
      SparkSession spark,
      StudyDirectory dir,
      Setup setup,
      Study study,
      LoadedData data,
      Best best) {
    StudySettings settings = setup.settings();
    Trial winner = best.winner().trial();
    int epochs = settings.rounds().get(settings.rounds().size() - 1).epochs();
    PackedShard train = data.trainingSet().allRowsTraining();
    PackedShard test = data.testSet();
    NetworkSpec spec =
        Networks.toSpec(
            TrialTraining.merged(setup.model(), winner),
            train.width(),
            train.classes(),
            epochs,
            settings.divergenceFactor());
    long seed = Seeds.derive(settings.seed(), Purpose.FINAL, 0, winner.number(), 0);
    DataView testView = new DataView(test.features(), test.labels(), test.width(), null);
    long start = System.nanoTime();
    TrainingResult r =
        Trainer.train(
            spec,
            new DataView(train.features(), train.labels(), train.width(), null),
            testView,
            seed);
    double seconds = (System.nanoTime() - start) / 1e9;
    if (r.diverged()) {
      throw new NoUsableTrialException(
          "the best configuration (trial "
              + winner.number()
              + ") diverged when retrained on all training rows: "
              + r.reason());
    }
    Model.Evaluation eval = r.model().evaluate(testView);
    TunedModel tuned =
        new TunedModel(r.model(), data.standardizer().mean(), data.standardizer().scale());
    String modelPath = dir.resolve("model").toString();
    try {
      tuned.write().overwrite().save(modelPath);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot save the model to " + modelPath, e);
    }

    ObjectNode o = JSON.createObjectNode();
    o.put("study", settings.name());
    o.put("metric", settings.metric().configName());
    o.set("best", ResultTables.trialNode(best.winner()));
    ObjectNode config = o.putObject("configuration");
    config.setAll(ResultTables.params(TrialTraining.merged(setup.model(), winner)));
    config.put("epochs", epochs);
    ArrayNode ties = o.putArray("ties");
    for (TrialResult t : best.ties()) {
      ties.add(ResultTables.trialNode(t));
    }
    ObjectNode fin = o.putObject("final");
    fin.put("seed", seed);
    fin.put("epochs", epochs);
    fin.put("trainRows", train.rows());
    fin.put("testRows", test.rows());
    fin.put("testAccuracy", eval.accuracy());
    fin.put("testLoss", eval.loss());
    fin.put("trainingSeconds", seconds);
    fin.put("model", modelPath);
    dir.writeText("best.json", ResultTables.pretty(o));
    LOG.info(
        "final: trial {} retrained on {} rows, test accuracy {}, model at {}",
        winner.number(),
        train.rows(),
        eval.accuracy(),
        modelPath);
    return new Outcome(
        dir.root().toString(), study, best, spec, eval.accuracy(), eval.loss(), modelPath);
  }

  private static String dataJson(
      LoadedData data, Layout layout, int shards, int cores, String blas) {
    ObjectNode o = JSON.createObjectNode();
    o.put("source", data.source());
    o.put("classes", data.classes());
    o.put("features", data.width());
    o.put("trainingRows", data.trainingRows());
    o.put("validationRows", data.validationRows());
    o.put("testRows", data.testRows());
    o.put("packedBytes", data.packedBytes());
    o.put("layout", layout.name().toLowerCase(java.util.Locale.ROOT));
    o.put("shards", shards);
    o.put("cores", cores);
    o.put("blas", blas);
    return ResultTables.pretty(o);
  }

  static String versionsJson() {
    ObjectNode o = JSON.createObjectNode();
    o.put("caviar", caviarVersion());
    o.put("spark", org.apache.spark.package$.MODULE$.SPARK_VERSION());
    o.put("scala", scala.util.Properties.versionNumberString());
    o.put("java", System.getProperty("java.version"));
    o.put("javaVendor", System.getProperty("java.vendor"));
    o.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
    return ResultTables.pretty(o);
  }

  /** The version Maven built, from a filtered resource. */
  public static String caviarVersion() {
    Properties p = new Properties();
    try (InputStream in = SparkStudy.class.getResourceAsStream("/caviar-version.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      LOG.debug("no version resource", e);
    }
    return p.getProperty("version", "unknown");
  }
}
