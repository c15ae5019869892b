package dev.caviar.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.caviar.config.DataSpec;
import dev.caviar.config.ExecutionSpec;
import dev.caviar.config.ExecutionSpec.Layout;
import dev.caviar.config.StudySpec;
import dev.caviar.data.Datasets;
import dev.caviar.data.FrameSource;
import dev.caviar.data.LoadedData;
import dev.caviar.data.PackedShard;
import dev.caviar.nn.NetworkSpec;
import dev.caviar.report.BestFile;
import dev.caviar.report.RegionFile;
import dev.caviar.report.RoundFiles;
import dev.caviar.report.StudyDirectory;
import dev.caviar.report.StudyFiles;
import dev.caviar.space.Region;
import dev.caviar.space.SearchSpace;
import dev.caviar.study.Best;
import dev.caviar.study.Carried;
import dev.caviar.study.Confirm;
import dev.caviar.study.ReplicateScore;
import dev.caviar.study.RoundPlan;
import dev.caviar.study.RoundRecord;
import dev.caviar.study.Study;
import dev.caviar.study.StudySettings;
import dev.caviar.study.Trial;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A whole study on Spark: load and pack the data once, run the rounds through a {@link
 * SparkRunner}, write each round atomically, resume from the last whole round, then retrain the
 * best configuration on all training rows, score it on the test rows and save it as a {@link
 * TunedModel}. Usable from the command line and from notebooks alike.
 *
 * <p>This class holds the round loop only: the output directory and resume policy are {@link
 * OutputDirectory}'s, every file format is {@code report}'s ({@link RoundFiles}, {@link BestFile},
 * {@link StudyFiles}, {@link RegionFile}), and Parquet goes through {@link ParquetTables}.
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

    /** {@code --resume} found the study finished: nothing is trained or written. */
    default void alreadyFinished(String directory) {}

    default void roundFinished(RoundRecord round, long nanos, String path) {}

    /** The final step starts; {@code what} says what it trains, in words. */
    default void finalStarted(String what) {}

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
    return run(spark, setup, null, resume, listener);
  }

  /**
   * As {@link #run(SparkSession, Setup, boolean, Listener)}, the rows coming from a DataFrame when
   * {@code setup.data().source()} is {@code dataframe} (Spark ML's {@code CaviarTuner.fit}): the
   * one difference from a study of files is where {@link Datasets#load} reads the rows.
   *
   * @param frame the DataFrame's rows; null for the file and synthetic sources
   */
  public static Outcome run(
      SparkSession spark, Setup setup, FrameSource frame, boolean resume, Listener listener) {
    // The session may be a notebook's or a pipeline's, which lives on after the study: what the
    // study cached or broadcast goes, also when it fails.
    StudyResources held = new StudyResources();
    try {
      return run(spark, setup, frame, resume, listener, held);
    } finally {
      held.release();
    }
  }

  /**
   * The setup of a validated config: its warm start, if any, read from the earlier study's
   * directory and checked against the space. What {@code caviar tune} and {@code CaviarTuner} run.
   *
   * @throws IllegalArgumentException naming {@code study.warmStart} when its region does not fit
   */
  public static Setup setup(StudySpec study, Configuration hadoop) {
    Region start = null;
    if (study.warmStart() != null) {
      start = finalRegion(StudyDirectory.at(study.warmStart(), hadoop));
      try {
        start.checkAgainst(study.space());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "study.warmStart: the region of "
                + study.warmStart()
                + " does not fit this space: "
                + e.getMessage(),
            e);
      }
    }
    return new Setup(
        study.study(),
        study.space(),
        study.model(),
        study.data(),
        study.execution(),
        study.output().dir(),
        study.render(),
        start);
  }

  private static Outcome run(
      SparkSession spark,
      Setup setup,
      FrameSource frame,
      boolean resume,
      Listener listener,
      StudyResources held) {
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    StudyDirectory dir =
        StudyDirectory.at(setup.outputDir(), spark.sparkContext().hadoopConfiguration());
    OutputDirectory.Prepared prepared = OutputDirectory.check(dir, setup, resume);
    if (prepared == OutputDirectory.Prepared.FINISHED) {
      return alreadyFinished(dir, setup, listener);
    }

    StudySettings settings = setup.settings();
    ExecutionSpec exec = setup.execution();
    int cores = Math.max(1, spark.sparkContext().defaultParallelism());
    LoadedData data =
        held.data(
            Datasets.load(
                spark,
                setup.data(),
                frame,
                settings.seed(),
                exec.shards() > 0 ? exec.shards() : Datasets.SHARDS_FROM_DATA));
    int shards = data.shardCount();
    checkShards(exec, shards);
    if (resume) {
      checkSameSharding(dir, shards);
    }
    Layout layout =
        LayoutChoice.choose(
            exec.layout(),
            data.packedBytes(),
            exec.broadcastLimitMb(),
            LayoutChoice.executorMemory(spark.sparkContext().getConf()));
    if (layout == Layout.SHARDED) {
      checkConfirmShards(settings, shards);
    }
    // Only now, with the configuration and the data checked, does the directory get its first
    // files.
    OutputDirectory.start(dir, setup, prepared);
    String blas = dev.ludovic.netlib.blas.BLAS.getInstance().getClass().getName();
    LOG.info("data: {}; layout {}; BLAS {}", data, layout, blas);
    dir.writeText(
        StudyFiles.DATA, StudyFiles.dataJson(dataSummary(data, layout, shards, cores, blas)));

    Broadcast<PackedShard> all = null;
    if (layout == Layout.BROADCAST) {
      all = held.broadcast(sc.broadcast(data.trainingSet()));
    }
    Study study =
        setup.start() == null
            ? Study.create(settings, setup.space())
            : Study.warmStart(settings, setup.space(), setup.start());
    int resumed = resume ? OutputDirectory.replay(dir, study) : 0;
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
            listener,
            settings.stopping(),
            settings.metric(),
            // With nothing carried there is nothing to continue: no run is held between rounds.
            settings.carry() > 0 ? settings.carried() : Carried.RESTART);
    while (!study.isFinished()) {
      long asked = System.nanoTime();
      RoundPlan plan = study.plan();
      List<Trial> trials = study.ask();
      listener.roundStarted(plan, trials);
      long start = System.nanoTime();
      // final.train = lastRound: the last round's networks are the final model's candidates;
      // continue: their runs, trained on where they ended.
      SparkRunner.Keep keep = SparkRunner.Keep.NONE;
      if (plan.round() == plan.roundCount() - 1) {
        keep =
            switch (exec.finalTrain()) {
              case LAST_ROUND -> SparkRunner.Keep.NETWORKS;
              case CONTINUE -> SparkRunner.Keep.RUNS;
              case RETRAIN -> SparkRunner.Keep.NONE;
            };
      }
      List<ReplicateScore> scores = runner.run(plan, trials, keep);
      long trained = System.nanoTime();
      study.tellScores(scores);
      RoundRecord rec = study.history().get(study.history().size() - 1);
      long told = System.nanoTime();
      RoundTiming timing =
          RoundTiming.of(
              trained - start,
              scores,
              cores,
              (start - asked) + (told - trained),
              runner.lastRoundBlas());
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

    Best best =
        study
            .best()
            .orElseThrow(
                () ->
                    new NoUsableTrialException(
                        "every trial of the last round diverged or failed; see "
                            + dir.resolve(StudyFiles.ROUNDS)
                            + " for the reasons"));
    return FinalModel.finish(
        spark, dir, setup, study, data, best, layout, all, runner, cores, listener);
  }

  private static void checkShards(ExecutionSpec exec, int shards) {
    if (exec.replicas() > shards) {
      throw new IllegalArgumentException(
          "execution.replicas: must be <= the shard count ("
              + shards
              + (exec.shards() > 0 ? "" : ", from the data: set execution.shards")
              + "), got "
              + exec.replicas());
    }
  }

  /**
   * In the sharded layout a trial's replicates train on distinct shards, so there must be enough.
   */
  private static void checkConfirmShards(StudySettings settings, int shards) {
    for (int r = 0; r < settings.rounds().size(); r++) {
      Confirm c = settings.rounds().get(r).confirm();
      if (c.active() && c.replicates() > shards) {
        throw new IllegalArgumentException(
            "study.rounds["
                + r
                + "].confirm.replicates: must be <= the shard count ("
                + shards
                + ") in the sharded layout, where a trial's replicates train on distinct shards,"
                + " got "
                + c.replicates());
      }
    }
  }

  /**
   * A resumed study must shard its data as the killed one did: the shard count changes which rows
   * each trial trains on, so a study of two shardings would mix two experiments.
   */
  private static void checkSameSharding(StudyDirectory dir, int shards) {
    if (!dir.exists(StudyFiles.DATA)) {
      return;
    }
    int stored =
        StudyFiles.readData(dir.readText(StudyFiles.DATA), dir.resolve(StudyFiles.DATA).toString())
            .shards();
    if (stored != shards) {
      throw new IllegalArgumentException(
          "--resume: the study was sharded into "
              + stored
              + " shards ("
              + dir.resolve(StudyFiles.DATA)
              + "), this run shards into "
              + shards
              + "; resume with execution.shards = "
              + stored
              + " and the same data, or start a new study in another output.dir");
    }
  }

  /**
   * The outcome of a study that already finished, read back from its directory: the rounds are told
   * to the study again (no training), the final score comes from {@code best.json}.
   */
  private static Outcome alreadyFinished(StudyDirectory dir, Setup setup, Listener listener) {
    StudySettings settings = setup.settings();
    Study study =
        setup.start() == null
            ? Study.create(settings, setup.space())
            : Study.warmStart(settings, setup.space(), setup.start());
    OutputDirectory.replay(dir, study);
    BestFile.Record stored =
        BestFile.read(dir.readText(BestFile.NAME), dir.resolve(BestFile.NAME).toString());
    Best best =
        study
            .best()
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "--resume: "
                            + dir.resolve(BestFile.NAME)
                            + " exists but the rounds on disk keep no trial"));
    StudyFiles.DataSummary data =
        StudyFiles.readData(dir.readText(StudyFiles.DATA), dir.resolve(StudyFiles.DATA).toString());
    NetworkSpec spec =
        Networks.toSpec(
            TrialTraining.merged(setup.model(), best.winner().trial()),
            data.features(),
            data.classes(),
            stored.fin().epochs(),
            settings.divergenceFactor());
    LOG.info("resume: {} already finished; nothing to do", dir.root());
    listener.alreadyFinished(dir.root().toString());
    return new Outcome(
        dir.root().toString(),
        study,
        best,
        spec,
        stored.fin().testAccuracy(),
        stored.fin().testLoss(),
        stored.fin().model());
  }

  private static void writeRound(
      SparkSession spark,
      StudyDirectory dir,
      RoundRecord rec,
      List<ReplicateScore> scores,
      RoundTiming timing) {
    StudyDirectory.RoundWriter w = dir.beginRound(rec.round());
    RoundFiles.texts(rec, scores, JSON.valueToTree(timing)).forEach(w::writeText);
    RoundFiles.tables(rec, scores)
        .forEach((name, table) -> ParquetTables.write(spark, table, w.path(name).toString()));
    w.commit();
  }

  /**
   * The region an earlier study would have sampled next: the bounds its last complete round sampled
   * (the outcome of its last narrowing), read back from that round's {@code region.json}.
   *
   * @throws IllegalArgumentException naming the directory or file when there is no complete round
   *     or the file cannot be read as a region
   */
  public static Region finalRegion(StudyDirectory earlier) {
    return RegionFile.finalRegion(earlier);
  }

  private static StudyFiles.DataSummary dataSummary(
      LoadedData data, Layout layout, int shards, int cores, String blas) {
    return new StudyFiles.DataSummary(
        data.source(),
        data.classes(),
        data.width(),
        data.trainingRows(),
        data.validationRows(),
        data.testRows(),
        data.packedBytes(),
        layout.name().toLowerCase(java.util.Locale.ROOT),
        shards,
        cores,
        blas);
  }

  /** The version Maven built, from a filtered resource. */
  public static String caviarVersion() {
    return OutputDirectory.caviarVersion();
  }
}
