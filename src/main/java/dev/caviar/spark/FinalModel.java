package dev.caviar.spark;

import dev.caviar.config.ExecutionSpec;
import dev.caviar.config.ExecutionSpec.Layout;
import dev.caviar.data.LoadedData;
import dev.caviar.data.PackedShard;
import dev.caviar.nn.DataView;
import dev.caviar.nn.Model;
import dev.caviar.nn.NetworkSpec;
import dev.caviar.nn.Trainer;
import dev.caviar.nn.TrainingResult;
import dev.caviar.report.BestFile;
import dev.caviar.report.StudyDirectory;
import dev.caviar.study.Best;
import dev.caviar.study.Purpose;
import dev.caviar.study.Seeds;
import dev.caviar.study.Status;
import dev.caviar.study.Study;
import dev.caviar.study.StudySettings;
import dev.caviar.study.Trial;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The study's last step, on the executors: the best configuration trained again, scored on the test
 * rows where they lie, saved as a {@link TunedModel}. No training or test row passes through the
 * driver; only seeds go out and only networks and five numbers per test part come back.
 *
 * <ul>
 *   <li>Sharded layout: one model per shard, trained on all of that shard's rows (training and
 *       validation) in parallel, where the shard is cached; the models form an ensemble that
 *       averages class probabilities (a bag of shard models: the data never moves).
 *   <li>Broadcast layout: {@code final.models} = k seeds trained in parallel, each on all training
 *       rows from the broadcast, averaged likewise; k defaults to the cores (at most {@link
 *       ExecutionSpec#MAX_DEFAULT_FINAL_MODELS}) so that no core idles.
 * </ul>
 *
 * <p>Member i's seed is {@code Seeds.derive(studySeed, FINAL, 0, winner, i)}: member 0 of the
 * broadcast layout is the single model the study trained before ensembles. Each member depends on
 * its seed and its rows only, so the ensemble is the same on {@code local[1]}, {@code local[2]} or
 * a cluster (given the same k). The test score of the single model (member 0) and of the ensemble
 * are reported side by side; the saved model is the ensemble of every member that did not diverge.
 */
final class FinalModel {
  private static final Logger LOG = LoggerFactory.getLogger(FinalModel.class);

  /** Test rows scored per block: bounds a task's probability buffers whatever a part's size. */
  private static final int SCORE_BLOCK = 4096;

  private FinalModel() {}

  /**
   * One trained member, as it comes back from its task.
   *
   * @param model the network; null when training diverged
   * @param diverged why it diverged; null when it did not
   */
  record Member(
      int index,
      long seed,
      int rows,
      Model model,
      String diverged,
      ExecutorBlas ranOn,
      long trainingNanos)
      implements Serializable {}

  /**
   * The test figures of the single model (the first usable member) and of the ensemble.
   *
   * @param rows test rows scored
   */
  record TestScore(
      long rows,
      double singleAccuracy,
      double singleLoss,
      double ensembleAccuracy,
      double ensembleLoss) {}

  /** How many seeds the broadcast layout trains: {@code final.models}, or one per core, capped. */
  static int modelCount(int requested, int cores) {
    return requested > 0
        ? requested
        : Math.max(1, Math.min(cores, ExecutionSpec.MAX_DEFAULT_FINAL_MODELS));
  }

  static long seed(long studySeed, int winner, int member) {
    return Seeds.derive(studySeed, Purpose.FINAL, 0, winner, member);
  }

  /** Trains one member on every row of {@code data}; runs inside a task. */
  static Member train(NetworkSpec spec, PackedShard data, int index, long seed) {
    PackedShard all = data.allRowsTraining();
    DataView rows = new DataView(all.features(), all.labels(), all.width(), all.trainRows());
    long start = System.nanoTime();
    TrainingResult r = Trainer.train(spec, rows, null, seed);
    return new Member(
        index,
        seed,
        rows.size(),
        r.diverged() ? null : r.model(),
        r.diverged() ? r.reason() : null,
        ExecutorBlas.here(1),
        System.nanoTime() - start);
  }

  /** One member per shard, each trained where its shard is cached; in shard order. */
  static List<Member> trainSharded(
      JavaRDD<PackedShard> shards, NetworkSpec spec, long studySeed, int winner) {
    // Partition s holds shard s, and collect returns partitions in order.
    return shards.map(s -> train(spec, s, s.index(), seed(studySeed, winner, s.index()))).collect();
  }

  /** {@code k} members, one task each, trained on the broadcast rows; in member order. */
  static List<Member> trainBroadcast(
      JavaSparkContext sc,
      Broadcast<PackedShard> all,
      NetworkSpec spec,
      long studySeed,
      int winner,
      int k) {
    return sc.parallelize(IntStream.range(0, k).boxed().toList(), k)
        .map(i -> train(spec, all.value(), i, seed(studySeed, winner, i)))
        .collect();
  }

  /**
   * Scores the single model and the ensemble on the test parts where they are cached: each task
   * sends back five numbers, summed on the driver in part order (so the result does not depend on
   * which task ends first).
   */
  static TestScore score(JavaSparkContext sc, List<Model> members, JavaRDD<PackedShard> testParts) {
    Broadcast<ArrayList<Model>> models = sc.broadcast(new ArrayList<>(members));
    try {
      List<double[]> parts = testParts.map(p -> scorePart(models.value(), p)).collect();
      double[] sum = new double[5];
      for (double[] p : parts) {
        for (int i = 0; i < sum.length; i++) {
          sum[i] += p[i];
        }
      }
      double n = sum[0];
      return new TestScore((long) n, sum[2] / n, sum[1] / n, sum[4] / n, sum[3] / n);
    } finally {
      models.destroy();
    }
  }

  /**
   * {rows, single loss sum, single correct, ensemble loss sum, ensemble correct} of one part. The
   * single model's figures are exactly {@link Model#evaluate}'s; the ensemble's loss is the
   * cross-entropy of the averaged probabilities, floored at 1e-30 so that a confident mistake costs
   * 69, not infinity.
   */
  static double[] scorePart(List<Model> members, PackedShard part) {
    int[] rows = part.validationRows();
    int c = part.classes();
    double[] out = new double[5];
    out[0] = rows.length;
    int block = Math.max(1, Math.min(SCORE_BLOCK, rows.length));
    float[] p = new float[block * c];
    double[] avg = new double[block * c];
    for (int from = 0; from < rows.length; from += block) {
      int m = Math.min(block, rows.length - from);
      DataView view =
          new DataView(
              part.features(),
              part.labels(),
              part.width(),
              Arrays.copyOfRange(rows, from, from + m));
      Model.Evaluation single = members.get(0).evaluate(view);
      out[1] += single.loss() * m;
      out[2] += Math.round(single.accuracy() * m);
      Arrays.fill(avg, 0);
      for (Model model : members) {
        model.predictProbabilities(view, p);
        for (int i = 0; i < m * c; i++) {
          avg[i] += p[i];
        }
      }
      for (int j = 0; j < m; j++) {
        int label = part.labels()[view.row(j)];
        int best = 0;
        for (int i = 1; i < c; i++) {
          if (avg[j * c + i] > avg[j * c + best]) {
            best = i;
          }
        }
        out[3] -= Math.log(Math.max(avg[j * c + label] / members.size(), 1e-30));
        if (best == label) {
          out[4]++;
        }
      }
    }
    return out;
  }

  /** Trains, scores and saves the final model and writes {@code best.json}. */
  static SparkStudy.Outcome finish(
      SparkSession spark,
      StudyDirectory dir,
      SparkStudy.Setup setup,
      Study study,
      LoadedData data,
      Best best,
      Layout layout,
      Broadcast<PackedShard> all,
      int cores) {
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    StudySettings settings = setup.settings();
    Trial winner = best.winner().trial();
    int epochs = settings.rounds().get(settings.rounds().size() - 1).epochs();
    NetworkSpec spec =
        Networks.toSpec(
            TrialTraining.merged(setup.model(), winner),
            data.width(),
            data.classes(),
            epochs,
            settings.divergenceFactor());
    boolean sharded = layout == Layout.SHARDED;
    int k = sharded ? data.shardCount() : modelCount(setup.execution().finalModels(), cores);
    sc.setJobDescription(
        String.format(
            java.util.Locale.ROOT,
            "final model: trial %d x %d %s",
            winner.number(),
            k,
            sharded ? "shards" : "seeds"));
    long start = System.nanoTime();
    List<Member> trained =
        sharded
            ? trainSharded(data.shards(), spec, settings.seed(), winner.number())
            : trainBroadcast(sc, all, spec, settings.seed(), winner.number(), k);
    double seconds = (System.nanoTime() - start) / 1e9;
    List<Model> usable = new ArrayList<>();
    List<ExecutorBlas> ranOn = new ArrayList<>();
    for (Member m : trained) {
      ranOn.add(m.ranOn());
      if (m.model() != null) {
        usable.add(m.model());
      }
    }
    boolean mixed = ExecutorBlas.checkMixed("the final model", ranOn);
    if (usable.isEmpty()) {
      throw new NoUsableTrialException(
          "the best configuration (trial "
              + winner.number()
              + ") diverged when retrained on all training rows: "
              + trained.get(0).diverged());
    }
    TestScore test = score(sc, usable, data.testParts());
    sc.setJobDescription(null);
    String modelPath = dir.resolve("model").toString();
    boolean ensemble = usable.size() > 1;
    double accuracy = ensemble ? test.ensembleAccuracy() : test.singleAccuracy();
    double loss = ensemble ? test.ensembleLoss() : test.singleLoss();
    String bestJson =
        bestJson(setup, best, epochs, trained, test, seconds, layout, modelPath, mixed, ensemble);
    TunedModel tuned =
        new TunedModel(usable, data.standardizer().mean(), data.standardizer().scale())
            .setSummary(StudySummary.of(study.history(), bestJson));
    try {
      tuned.write().overwrite().save(modelPath);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot save the model to " + modelPath, e);
    }
    dir.writeText(BestFile.NAME, bestJson);
    LOG.info(
        "final: trial {} trained as {} {} model(s) in {} s; test accuracy single {}, ensemble {};"
            + " model at {}",
        winner.number(),
        trained.size(),
        sharded ? "shard" : "seed",
        Math.round(seconds),
        test.singleAccuracy(),
        test.ensembleAccuracy(),
        modelPath);
    return new SparkStudy.Outcome(
        dir.root().toString(), study, best, spec, accuracy, loss, modelPath);
  }

  private static String bestJson(
      SparkStudy.Setup setup,
      Best best,
      int epochs,
      List<Member> trained,
      TestScore test,
      double seconds,
      Layout layout,
      String modelPath,
      boolean mixed,
      boolean ensemble) {
    StudySettings settings = setup.settings();
    Map<String, Object> configuration =
        new LinkedHashMap<>(TrialTraining.merged(setup.model(), best.winner().trial()));
    configuration.put("epochs", epochs);
    boolean sharded = layout == Layout.SHARDED;
    long rows = 0;
    List<BestFile.Member> members = new ArrayList<>();
    for (Member m : trained) {
      rows += m.rows();
      members.add(
          new BestFile.Member(
              sharded ? "shard" : "member",
              m.index(),
              m.seed(),
              m.rows(),
              m.model() == null ? Status.DIVERGED : Status.OK,
              m.diverged(),
              m.ranOn().executor(),
              m.ranOn().blas(),
              m.trainingNanos() / 1e9));
    }
    return BestFile.json(
        settings.name(),
        settings.metric(),
        best,
        configuration,
        new BestFile.Final(
            trained.get(0).seed(),
            epochs,
            sharded ? rows : trained.get(0).rows(),
            test.rows(),
            ensemble ? test.ensembleAccuracy() : test.singleAccuracy(),
            ensemble ? test.ensembleLoss() : test.singleLoss(),
            seconds,
            modelPath,
            sharded ? "shard ensemble" : "seed ensemble",
            ensemble ? "ensemble" : "single",
            new BestFile.Score(test.singleAccuracy(), test.singleLoss()),
            new BestFile.Score(test.ensembleAccuracy(), test.ensembleLoss()),
            members,
            mixed));
  }
}
