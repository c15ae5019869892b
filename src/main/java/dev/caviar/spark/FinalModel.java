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
import dev.caviar.study.CrossFitEstimate;
import dev.caviar.study.Purpose;
import dev.caviar.study.ReplicateScore;
import dev.caviar.study.RoundRecord;
import dev.caviar.study.Seeds;
import dev.caviar.study.Status;
import dev.caviar.study.Study;
import dev.caviar.study.StudySettings;
import dev.caviar.study.Trial;
import dev.caviar.study.TrialResult;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
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
 *
 * <p>With {@code lastRound} or {@code continue}, {@code final.retrained} = n adds networks
 * retrained as above after the last round's: n seeds (broadcast layout; members 0 to n - 1, the
 * same networks {@code retrain} makes) or one per shard. The average then draws on two kinds of
 * difference, the round's configurations and the seeds of the best one.
 *
 * <p>One responsibility, a long file: the final step in each of its three ways ({@code retrain},
 * {@code lastRound}, {@code continue}), their scoring and their {@code best.json}; the training
 * itself runs in {@link SparkRunner} and {@link TrialTraining}.
 */
final class FinalModel {
  private static final Logger LOG = LoggerFactory.getLogger(FinalModel.class);

  private FinalModel() {}

  /**
   * One trained member, as it comes back from its task.
   *
   * @param model the network; null when training diverged
   * @param diverged why it diverged; null when it did not
   */
  record Member(
      String role,
      int index,
      long seed,
      int rows,
      Model model,
      String diverged,
      ExecutorBlas ranOn,
      long trainingNanos)
      implements Serializable {
    /** A network of the last round (as it came back, or continued), as a member named by trial. */
    static Member of(SparkRunner.Kept n) {
      return new Member(
          "trial", n.trial(), n.seed(), n.rows(), n.network(), null, n.ranOn(), n.trainingNanos());
    }
  }

  private static boolean isTrial(Member m, int trial) {
    return "trial".equals(m.role()) && m.index() == trial;
  }

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
  static Member train(NetworkSpec spec, PackedShard data, String role, int index, long seed) {
    PackedShard all = data.allRowsTraining();
    DataView rows = new DataView(all.features(), all.labels(), all.width(), all.trainRows());
    long start = System.nanoTime();
    TrainingResult r = Trainer.train(spec, rows, null, seed);
    return new Member(
        role,
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
    return shards
        .map(s -> train(spec, s, "shard", s.index(), seed(studySeed, winner, s.index())))
        .collect();
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
        .map(i -> train(spec, all.value(), "member", i, seed(studySeed, winner, i)))
        .collect();
  }

  /** Trains (or takes from the last round), scores and saves the final model; writes best.json. */
  static SparkStudy.Outcome finish(
      SparkSession spark,
      StudyDirectory dir,
      SparkStudy.Setup setup,
      Study study,
      LoadedData data,
      Best best,
      Layout layout,
      Broadcast<PackedShard> all,
      SparkRunner runner,
      int cores,
      SparkStudy.Listener listener) {
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
    ExecutionSpec.FinalTrain how = setup.execution().finalTrain();
    boolean lastRound = how == ExecutionSpec.FinalTrain.LAST_ROUND;
    boolean continued = how == ExecutionSpec.FinalTrain.CONTINUE;
    // The last round's networks, as they are or trained on: members are trials, not seeds.
    boolean fromRound = lastRound || continued;
    int extra = continued ? setup.execution().continueEpochs(epochs) : 0;
    int k =
        sharded && !fromRound
            ? data.shardCount()
            : modelCount(setup.execution().finalModels(), cores);
    // final.retrained: networks of the best configuration trained from their seeds join the last
    // round's (members of their own role, after the trials).
    int retrained = fromRound ? setup.execution().finalRetrained() : 0;
    String seedsKind = sharded ? "shard ensemble" : "seed ensemble";
    String kind = lastRound ? "last round" : continued ? "last round continued" : seedsKind;
    if (retrained > 0) {
      kind += " + " + seedsKind;
    }
    sc.setJobDescription(
        String.format(
            java.util.Locale.ROOT, "final model: trial %d, %s of %d", winner.number(), kind, k));
    listener.finalStarted(
        describe(
            lastRound, continued, sharded, winner.number(), k, extra, retrained, epochs, data));
    long start = System.nanoTime();
    List<Member> trained = new ArrayList<>();
    if (lastRound) {
      trained.addAll(fromLastRound(study, runner, k));
    } else if (continued) {
      trained.addAll(continuedFromLastRound(study, runner, k, extra));
    }
    if (!fromRound || retrained > 0) {
      trained.addAll(
          sharded
              ? trainSharded(data.shards(), spec, settings.seed(), winner.number())
              : trainBroadcast(
                  sc, all, spec, settings.seed(), winner.number(), fromRound ? retrained : k));
    }
    List<Model> usable = new ArrayList<>();
    List<ExecutorBlas> ranOn = new ArrayList<>();
    int single = 0;
    for (Member m : trained) {
      ranOn.add(m.ranOn());
      if (m.model() != null) {
        usable.add(m.model());
        // The single model: the winner's networks (its replicates; the round's best trial comes
        // first, so they are the first `single` usable networks), or the first usable member.
        if (fromRound ? isTrial(m, winner.number()) : single == 0) {
          single++;
        }
      }
    }
    boolean mixed = ExecutorBlas.checkMixed("the final model", ranOn);
    if (single == 0 && !usable.isEmpty()) {
      // The winner's networks diverged on all rows and another member did not: the single model
      // is the first usable network.
      single = 1;
    }
    if (usable.isEmpty()) {
      throw new NoUsableTrialException(
          "the best configuration (trial "
              + winner.number()
              + (continued
                  ? ") diverged when its networks went on on all training rows: "
                  : ") diverged when retrained on all training rows: ")
              + trained.get(0).diverged());
    }
    TestScoring.Score test = TestScoring.score(sc, usable, single, data.testParts());
    double seconds = (System.nanoTime() - start) / 1e9;
    sc.setJobDescription(null);
    String modelPath = dir.resolve("model").toString();
    boolean ensemble = usable.size() > single;
    double accuracy = ensemble ? test.ensembleAccuracy() : test.singleAccuracy();
    double loss = ensemble ? test.ensembleLoss() : test.singleLoss();
    String bestJson =
        bestJson(
            setup,
            best,
            CrossFitEstimate.of(study).orElse(null),
            epochs,
            epochs + extra,
            trained,
            test,
            seconds,
            layout,
            modelPath,
            mixed,
            ensemble,
            kind);
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
        "final: trial {}, {} of {} network(s) in {} s; test accuracy single {}, ensemble {};"
            + " model at {}",
        winner.number(),
        kind,
        trained.size(),
        Math.round(seconds),
        test.singleAccuracy(),
        test.ensembleAccuracy(),
        modelPath);
    return new SparkStudy.Outcome(
        dir.root().toString(), study, best, spec, accuracy, loss, modelPath);
  }

  /** What the final step is about to train, in words, for the console. */
  static String describe(
      boolean lastRound,
      boolean continued,
      boolean sharded,
      int winner,
      int k,
      int extra,
      int retrained,
      int epochs,
      LoadedData data) {
    String rows = String.format(java.util.Locale.ROOT, "%,d", data.trainingRows());
    String seeds =
        sharded
            ? String.format(
                java.util.Locale.ROOT,
                "trial %d retrained on each of the %d shards' rows for %d epochs",
                winner,
                data.shardCount(),
                epochs)
            : String.format(
                java.util.Locale.ROOT,
                "%d seed(s) of trial %d trained from scratch on all %s rows for %d epochs",
                lastRound || continued ? retrained : k,
                winner,
                rows,
                epochs);
    if (!lastRound && !continued) {
      return seeds + ", averaged";
    }
    String round =
        lastRound
            ? String.format(
                java.util.Locale.ROOT, "the last round's best %d trial(s), as trained", k)
            : String.format(
                java.util.Locale.ROOT,
                "the last round's best %d trial(s), %d more epoch(s) each on all %s rows",
                k,
                extra,
                rows);
    return retrained > 0 ? round + "; with " + seeds + "; averaged" : round + ", averaged";
  }

  /**
   * {@code final.train = lastRound}: the networks of the last round's best {@code k} OK trials
   * (each trial's OK replicates, in shard order), best trial first. They came back with the round;
   * after a resume that found the round on disk (its networks died with the killed driver) they are
   * trained again, exactly: same seeds, same rows, so the same networks.
   */
  static List<Member> fromLastRound(Study study, SparkRunner runner, int k) {
    RoundRecord last = study.history().get(study.history().size() - 1);
    List<ReplicateScore> wanted = okReplicates(topTrials(last, k));
    Map<String, SparkRunner.Kept> byReplicate = new LinkedHashMap<>();
    for (SparkRunner.Kept n : runner.keptNetworks()) {
      byReplicate.put(n.trial() + "/" + n.shard(), n);
    }
    if (!wanted.stream().allMatch(x -> byReplicate.containsKey(x.trial() + "/" + x.shard()))) {
      LOG.info("final: the last round's networks are gone (resumed): training {} again", wanted);
      for (SparkRunner.Kept n : runner.trainAgain(last.trials(), wanted)) {
        byReplicate.put(n.trial() + "/" + n.shard(), n);
      }
    }
    List<Member> out = new ArrayList<>();
    for (ReplicateScore x : wanted) {
      SparkRunner.Kept n = byReplicate.get(x.trial() + "/" + x.shard());
      if (n == null || n.seed() != x.seed()) {
        throw new IllegalStateException(
            "final: no network came back for trial " + x.trial() + " shard " + x.shard());
      }
      out.add(Member.of(n));
    }
    return out;
  }

  /**
   * {@code final.train = continue}: the networks of the last round's best {@code k} OK trials (each
   * trial's OK replicates, in shard order), best trial first, each trained on for {@code extra}
   * epochs on all its rows from where the round left it (its run held on its executor, or trained
   * again from its seed to the same state). A replicate whose continuation diverged is a member
   * without a network, with the reason.
   */
  static List<Member> continuedFromLastRound(Study study, SparkRunner runner, int k, int extra) {
    RoundRecord last = study.history().get(study.history().size() - 1);
    List<ReplicateScore> wanted = okReplicates(topTrials(last, k));
    SparkRunner.Continued done = runner.continueOnAllRows(last.trials(), wanted, extra);
    Map<String, SparkRunner.Kept> byReplicate = new LinkedHashMap<>();
    for (SparkRunner.Kept n : done.networks()) {
      byReplicate.put(n.trial() + "/" + n.shard(), n);
    }
    Map<String, ReplicateScore> scores = new LinkedHashMap<>();
    for (ReplicateScore x : done.scores()) {
      scores.put(x.trial() + "/" + x.shard(), x);
    }
    List<Member> out = new ArrayList<>();
    for (ReplicateScore x : wanted) {
      String key = x.trial() + "/" + x.shard();
      SparkRunner.Kept n = byReplicate.get(key);
      if (n != null && n.seed() == x.seed()) {
        out.add(Member.of(n));
        continue;
      }
      ReplicateScore why = scores.get(key);
      if (why == null || why.status() == Status.OK) {
        throw new IllegalStateException(
            "final: no network came back for trial " + x.trial() + " shard " + x.shard());
      }
      out.add(
          new Member(
              "trial",
              x.trial(),
              x.seed(),
              0,
              null,
              why.reason(),
              new ExecutorBlas(why.executor(), why.blas(), 1),
              why.trainingNanos()));
    }
    return out;
  }

  /** The OK replicates of {@code trials}, trial by trial, in shard order. */
  static List<ReplicateScore> okReplicates(List<TrialResult> trials) {
    List<ReplicateScore> out = new ArrayList<>();
    for (TrialResult r : trials) {
      for (ReplicateScore x : r.replicates()) {
        if (x.status() == Status.OK) {
          out.add(x);
        }
      }
    }
    return out;
  }

  /** The last round's best {@code k} OK trials, best first (the study's own order). */
  static List<TrialResult> topTrials(RoundRecord last, int k) {
    return last.results().stream()
        .filter(r -> r.status() == Status.OK)
        .sorted(TrialResult.BEST_FIRST)
        .limit(k)
        .toList();
  }

  private static String bestJson(
      SparkStudy.Setup setup,
      Best best,
      CrossFitEstimate estimate,
      int epochs,
      int finalEpochs,
      List<Member> trained,
      TestScoring.Score test,
      double seconds,
      Layout layout,
      String modelPath,
      boolean mixed,
      boolean ensemble,
      String kind) {
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
              m.role(),
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
            finalEpochs,
            sharded && !"trial".equals(trained.get(0).role()) ? rows : trained.get(0).rows(),
            test.rows(),
            ensemble ? test.ensembleAccuracy() : test.singleAccuracy(),
            ensemble ? test.ensembleLoss() : test.singleLoss(),
            seconds,
            modelPath,
            kind,
            ensemble ? "ensemble" : "single",
            new BestFile.Score(test.singleAccuracy(), test.singleLoss()),
            new BestFile.Score(test.ensembleAccuracy(), test.ensembleLoss()),
            members,
            mixed),
        estimate);
  }
}
