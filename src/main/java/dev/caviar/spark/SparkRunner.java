package dev.caviar.spark;

import dev.caviar.config.ExecutionSpec.Layout;
import dev.caviar.data.PackedShard;
import dev.caviar.study.ReplicateScore;
import dev.caviar.study.RoundPlan;
import dev.caviar.study.Trial;
import dev.caviar.study.TrialRunner;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.spark.SparkContext;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.rdd.RDD;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Function1;
import scala.Function2;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;
import scala.runtime.BoxedUnit;

/**
 * Runs a round's trials on Spark. Only the trial list (a few KB) goes out and only scores (a few
 * KB) come back: in the sharded layout the data stays in its cached partitions and each task trains
 * the pairs assigned to its shard; in the broadcast layout the packed data was broadcast once per
 * study and each task trains one pair on all of it.
 *
 * <p>Every pair's score is a pure function of its seed and its shard's rows, so results do not
 * depend on the executor count, the scheduling or a task retry.
 */
public final class SparkRunner implements TrialRunner {
  private static final Logger LOG = LoggerFactory.getLogger(SparkRunner.class);

  /** Told, on the driver, as each task's scores arrive. */
  public interface Progress {
    void taskDone(RoundPlan plan, int pairsDone, int pairsTotal, List<ReplicateScore> arrived);

    Progress NONE = (plan, done, total, arrived) -> {};
  }

  private final JavaSparkContext sc;
  private final Layout layout;
  private final JavaRDD<PackedShard> shards;
  private final int shardCount;
  private final Broadcast<PackedShard> all;
  private final int replicas;
  private final int inputs;
  private final Map<String, Object> fixed;
  private final double divergenceFactor;
  private final Progress progress;
  private List<ExecutorBlas> lastRoundBlas = List.of();
  private List<Kept> kept = List.of();

  /**
   * @param layout SHARDED or BROADCAST (AUTO resolved by the caller)
   * @param shards the cached packed shards, one per partition (sharded layout)
   * @param all the packed training data broadcast once (broadcast layout; null otherwise)
   * @param inputs the feature width, for estimating each trial's cost
   * @param fixed the model section's fixed hyperparameters, under every trial's own values
   */
  public SparkRunner(
      JavaSparkContext sc,
      Layout layout,
      JavaRDD<PackedShard> shards,
      Broadcast<PackedShard> all,
      int inputs,
      int replicas,
      Map<String, Object> fixed,
      double divergenceFactor,
      Progress progress) {
    if (layout == Layout.AUTO) {
      throw new IllegalArgumentException("layout: resolve AUTO before building the runner");
    }
    if (layout == Layout.BROADCAST && all == null) {
      throw new IllegalArgumentException("all: the broadcast layout needs the broadcast data");
    }
    this.sc = sc;
    this.layout = layout;
    this.shards = shards;
    this.shardCount = shards == null ? 0 : shards.getNumPartitions();
    this.all = all;
    this.inputs = inputs;
    this.replicas = replicas;
    this.fixed = Map.copyOf(fixed);
    this.divergenceFactor = divergenceFactor;
    this.progress = progress;
  }

  /**
   * The executors that trained the last round, each with the BLAS its JVM loaded and how many
   * trainings it ran, ordered by executor id.
   */
  public List<ExecutorBlas> lastRoundBlas() {
    return lastRoundBlas;
  }

  /**
   * A network a replicate trained, kept for the final model ({@code final.train = lastRound}).
   *
   * @param trial the trial's number
   * @param shard the replicate's shard coordinate, as in its {@link ReplicateScore}
   * @param seed the replicate's seed
   * @param rows the rows it trained on
   * @param ranOn the executor that trained it and its BLAS
   */
  public record Kept(
      int trial,
      int shard,
      long seed,
      int rows,
      dev.caviar.nn.Model network,
      ExecutorBlas ranOn,
      long trainingNanos)
      implements Serializable {}

  /** A task's scores, the networks it kept (if asked to) and where they were computed. */
  record TaskResult(ExecutorBlas ranOn, ArrayList<ReplicateScore> scores, ArrayList<Kept> kept)
      implements java.io.Serializable {
    static TaskResult of(ArrayList<ReplicateScore> scores, ArrayList<Kept> kept) {
      return new TaskResult(ExecutorBlas.here(scores.size()), scores, kept);
    }
  }

  @Override
  public List<ReplicateScore> run(RoundPlan plan, List<Trial> trials) {
    return run(plan, trials, false);
  }

  /**
   * Runs a round; with {@code keepNetworks} the OK replicates' networks also come back to the
   * driver ({@link #keptNetworks}): the last round's, when the final model is made of them.
   */
  public List<ReplicateScore> run(RoundPlan plan, List<Trial> trials, boolean keepNetworks) {
    boolean sharded = layout == Layout.SHARDED;
    double[] costs = new double[trials.size()];
    for (int i = 0; i < costs.length; i++) {
      costs[i] = TrialTraining.cost(trials.get(i), fixed, inputs);
    }
    int taskCount = sharded ? shardCount : trials.size() * replicas;
    WorkPlan work = WorkPlan.balance(costs, replicas, taskCount, sharded);
    return execute(
        plan,
        String.format(
            Locale.ROOT,
            "round %d/%d: %d trials x %d %s",
            plan.round() + 1,
            plan.roundCount(),
            trials.size(),
            replicas,
            sharded ? "shards" : "seeds"),
        trials,
        work,
        keepNetworks);
  }

  /**
   * Trains the given replicates of a round again, exactly as the round did (same seeds, same
   * shards: the same networks), and keeps their networks: the last round's networks after a resume
   * found the round on disk but its networks gone with the killed driver.
   *
   * @param replicates (trial, shard) of each replicate to train, trials from {@code trials}
   */
  public List<Kept> trainAgain(List<Trial> trials, List<ReplicateScore> replicates) {
    boolean sharded = layout == Layout.SHARDED;
    List<Integer> numbers = trials.stream().map(Trial::number).toList();
    List<List<WorkPlan.Pair>> tasks = new ArrayList<>();
    if (sharded) {
      for (int s = 0; s < shardCount; s++) {
        tasks.add(new ArrayList<>());
      }
    }
    for (ReplicateScore r : replicates) {
      WorkPlan.Pair pair = new WorkPlan.Pair(numbers.indexOf(r.trial()), r.shard());
      if (sharded) {
        tasks.get(r.shard()).add(pair);
      } else {
        tasks.add(List.of(pair));
      }
    }
    execute(
        null,
        String.format(
            Locale.ROOT, "final model: the last round's %d networks again", replicates.size()),
        trials,
        new WorkPlan(tasks),
        true);
    return kept;
  }

  /**
   * The networks the last {@code run(..., true)} or {@link #trainAgain} kept, by trial and shard.
   */
  public List<Kept> keptNetworks() {
    return kept;
  }

  /**
   * @param plan the round, told to the progress listener; null for {@link #trainAgain}, which
   *     reports no progress
   */
  private List<ReplicateScore> execute(
      RoundPlan plan, String description, List<Trial> trials, WorkPlan work, boolean keep) {
    String what = plan == null ? "final model" : "round " + plan.round();
    boolean sharded = layout == Layout.SHARDED;
    int taskCount = work.tasks().size();
    TrialTraining training = new TrialTraining(fixed, divergenceFactor);
    sc.setJobDescription(description);
    Broadcast<List<Trial>> trialsB = sc.broadcast(List.copyOf(trials));
    Broadcast<WorkPlan> workB = sc.broadcast(work);

    RDD<?> rdd;
    Function1<scala.collection.Iterator<Object>, TaskResult> task;
    if (sharded) {
      rdd = shards.rdd();
      task =
          (Function1<scala.collection.Iterator<Object>, TaskResult> & Serializable)
              it -> {
                int index = TaskContext.getPartitionId();
                PackedShard shard = (PackedShard) it.next();
                ArrayList<Kept> networks = keep ? new ArrayList<>() : null;
                return TaskResult.of(
                    training.trainAll(
                        workB.value().tasks().get(index),
                        trialsB.value(),
                        shard,
                        shard.index(),
                        networks),
                    networks);
              };
    } else {
      rdd =
          sc.parallelize(IntStream.range(0, taskCount).boxed().toList(), Math.max(1, taskCount))
              .rdd();
      Broadcast<PackedShard> data = all;
      task =
          (Function1<scala.collection.Iterator<Object>, TaskResult> & Serializable)
              it -> {
                int index = (Integer) it.next();
                // Broadcast layout: the shard coordinate of a replicate is its replica number.
                List<WorkPlan.Pair> pairs = workB.value().tasks().get(index);
                ArrayList<Kept> networks = keep ? new ArrayList<>() : null;
                return TaskResult.of(
                    training.trainAll(pairs, trialsB.value(), data.value(), -1, networks),
                    networks);
              };
    }

    int total = work.pairCount();
    List<ReplicateScore> results = Collections.synchronizedList(new ArrayList<>());
    List<ExecutorBlas> ranOn = Collections.synchronizedList(new ArrayList<>());
    List<Kept> networks = Collections.synchronizedList(new ArrayList<>());
    int[] done = {0};
    Function2<Object, TaskResult, BoxedUnit> handler =
        (Function2<Object, TaskResult, BoxedUnit> & Serializable)
            (index, result) -> {
              ExecutorBlas where = result.ranOn();
              List<ReplicateScore> scores =
                  result.scores().stream()
                      .map(s -> s.ranOn(where.executor(), where.blas()))
                      .toList();
              synchronized (done) {
                ranOn.add(result.ranOn());
                results.addAll(scores);
                if (result.kept() != null) {
                  networks.addAll(result.kept());
                }
                done[0] += scores.size();
                if (plan != null) {
                  progress.taskDone(plan, done[0], total, scores);
                }
              }
              return BoxedUnit.UNIT;
            };
    long start = System.nanoTime();
    try {
      runJob(sc.sc(), rdd, task, handler);
    } finally {
      trialsB.destroy();
      workB.destroy();
    }
    lastRoundBlas = ExecutorBlas.merge(new ArrayList<>(ranOn));
    ExecutorBlas.checkMixed(what, lastRoundBlas);
    LOG.info(
        "{}: {} trainings in {} ms", what, results.size(), (System.nanoTime() - start) / 1_000_000);
    List<ReplicateScore> sorted = new ArrayList<>(results);
    sorted.sort(
        Comparator.comparingInt(ReplicateScore::trial).thenComparingInt(ReplicateScore::shard));
    List<Kept> keptSorted = new ArrayList<>(networks);
    keptSorted.sort(Comparator.comparingInt(Kept::trial).thenComparingInt(Kept::shard));
    kept = keep ? List.copyOf(keptSorted) : List.of();
    return sorted;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static void runJob(
      SparkContext sc,
      RDD<?> rdd,
      Function1<scala.collection.Iterator<Object>, TaskResult> task,
      Function2<Object, TaskResult, BoxedUnit> handler) {
    ClassTag<TaskResult> tag = (ClassTag) ClassTag$.MODULE$.apply(TaskResult.class);
    sc.runJob((RDD) rdd, (Function1) task, (Function2) handler, tag);
  }
}
