package dev.caviar.spark;

import dev.caviar.config.ExecutionSpec.Layout;
import dev.caviar.data.PackedShard;
import dev.caviar.study.Carried;
import dev.caviar.study.Confirm;
import dev.caviar.study.Objective;
import dev.caviar.study.ReplicateScore;
import dev.caviar.study.RoundPlan;
import dev.caviar.study.Status;
import dev.caviar.study.Stopping;
import dev.caviar.study.Trial;
import dev.caviar.study.TrialRunner;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.apache.spark.SparkContext;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.rdd.RDD;
import org.apache.spark.storage.BlockManagerId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Function1;
import scala.Function2;
import scala.Tuple2;
import scala.jdk.javaapi.CollectionConverters;
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
 *
 * <p>One responsibility, a long file: turning a round into Spark jobs, in either layout, in one
 * stage or (with early stopping) one job per checkpoint whose tasks prefer the executor that paused
 * their runs, then (with {@code study.rounds[].confirm}) one job for the leaders' extra replicates;
 * the runs a round leaves held for the next round's carried trials ({@code study.carried =
 * continue}) or the final model are taken up the same way. The rules it applies live elsewhere (the
 * stopping rule in {@code study.Stopping}, which trials to confirm in {@code study.Confirm}, the
 * training in {@link TrialTraining}, the balancing in {@link WorkPlan}).
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
  private final Stopping stopping;
  private final Objective objective;
  private final Carried carried;
  // Keys this runner's paused runs apart from another study's on the same executors: executors
  // belong to one application, and the counter tells its runners apart.
  private static final AtomicLong RUNNERS = new AtomicLong();
  private final String id;
  private List<ExecutorBlas> lastRoundBlas = List.of();
  private List<Kept> kept = List.of();
  // Where the runs held at a round's end were paused ({@link Keep#RUNS}), by pair key.
  private Map<String, String> heldAt = Map.of();

  /** What a round leaves behind for the final model, besides its scores. */
  public enum Keep {
    /** Nothing. */
    NONE,
    /** The OK replicates' networks, on the driver ({@code final.train = lastRound}). */
    NETWORKS,
    /**
     * The OK replicates' runs, paused on their executors after their last epoch, for {@link
     * #continueOnAllRows} ({@code final.train = continue}).
     */
    RUNS
  }

  /**
   * @param layout SHARDED or BROADCAST (AUTO resolved by the caller)
   * @param shards the cached packed shards, one per partition (sharded layout)
   * @param all the packed training data broadcast once (broadcast layout; null otherwise)
   * @param inputs the feature width, for estimating each trial's cost
   * @param fixed the model section's fixed hyperparameters, under every trial's own values
   * @param stopping the study's within-round early stopping
   * @param objective what the checkpoints rank by
   * @param carried {@code continue}: a round's ended runs stay paused where they ended, and the
   *     next round's carried trials go on from them
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
      Progress progress,
      Stopping stopping,
      Objective objective,
      Carried carried) {
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
    this.stopping = stopping;
    this.objective = objective;
    this.carried = carried;
    this.id = sc.sc().applicationId() + "#" + RUNNERS.incrementAndGet();
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
  record TaskResult(
      ExecutorBlas ranOn, String location, ArrayList<ReplicateScore> scores, ArrayList<Kept> kept)
      implements java.io.Serializable {
    static TaskResult of(ArrayList<ReplicateScore> scores, ArrayList<Kept> kept) {
      return new TaskResult(ExecutorBlas.here(scores.size()), here(), scores, kept);
    }

    // This executor as Spark names a task location: executor_<host>_<executor id>.
    private static String here() {
      SparkEnv env = SparkEnv.get();
      if (env == null || env.blockManager() == null) {
        return "";
      }
      BlockManagerId id = env.blockManager().blockManagerId();
      return "executor_" + id.host() + "_" + id.executorId();
    }
  }

  @Override
  public List<ReplicateScore> run(RoundPlan plan, List<Trial> trials) {
    return run(plan, trials, Keep.NONE);
  }

  /**
   * Runs a round; with {@link Keep#NETWORKS} the OK replicates' networks also come back to the
   * driver ({@link #keptNetworks}): the last round's, when the final model is made of them; with
   * {@link Keep#RUNS} their runs stay paused where they ended, for {@link #continueOnAllRows}. With
   * early stopping the round runs in stages, one Spark job from checkpoint to checkpoint: the
   * driver ranks the scores at each and only the survivors' pairs go on, taken up where their
   * executor paused them.
   */
  public List<ReplicateScore> run(RoundPlan plan, List<Trial> trials, Keep keep) {
    boolean sharded = layout == Layout.SHARDED;
    String description =
        String.format(
            Locale.ROOT,
            "round %d/%d: %d trials x %d %s",
            plan.round() + 1,
            plan.roundCount(),
            trials.size(),
            replicas,
            sharded ? "shards" : "seeds");
    List<Integer> ends = new ArrayList<>(stopping.checkpoints(plan.epochs()));
    ends.add(Integer.MAX_VALUE);
    Map<Integer, Trial> byNumber = new TreeMap<>();
    for (Trial t : trials) {
      byNumber.put(t.number(), t);
    }
    Tally tally = new Tally(plan, trials.size() * replicas);
    List<ReplicateScore> done = new ArrayList<>();
    List<ExecutorBlas> ranOn = new ArrayList<>();
    List<Kept> networks;
    // study.carried = continue: the next round's carried trials go on from this round's runs.
    boolean hold =
        keep == Keep.RUNS || (carried == Carried.CONTINUE && plan.round() + 1 < plan.roundCount());
    try {
      networks = stages(plan, trials, keep, hold, description, ends, byNumber, tally, done, ranOn);
      List<Confirm.Need> needs = plan.confirm().needs(trials, done, objective);
      if (!needs.isEmpty()) {
        networks = confirm(plan, trials, needs, keep, hold, tally, done, ranOn, networks);
      }
    } finally {
      // Executors drop a study's earlier rounds as their next task starts; the driver's JVM (all of
      // local mode) drops them now, so that a notebook's session does not hold them. Runs held for
      // the final model or the next round stay.
      if (hold) {
        PausedRuns.forget(id, plan.round(), byNumber.keySet());
      } else {
        PausedRuns.forget(id, plan.round() + 1, Set.of());
      }
    }
    return finish("round " + plan.round(), done, ranOn, keep == Keep.NETWORKS ? networks : null);
  }

  /**
   * Runs a round's stages, from checkpoint to checkpoint and then to the end, adding the ended
   * replicates to {@code done}; returns the networks kept by the last stage.
   */
  private List<Kept> stages(
      RoundPlan plan,
      List<Trial> trials,
      Keep keep,
      boolean holdEnded,
      String description,
      List<Integer> ends,
      Map<Integer, Trial> byNumber,
      Tally tally,
      List<ReplicateScore> done,
      List<ExecutorBlas> ranOn) {
    boolean sharded = layout == Layout.SHARDED;
    Set<Integer> training = new TreeSet<>(byNumber.keySet());
    WorkPlan current = WorkPlan.balance(costs(trials), replicas, taskCount(trials), sharded);
    // The previous round's runs the carried trials go on from, and where they wait.
    Set<Integer> carriedRuns = new TreeSet<>();
    Map<String, String> where = new HashMap<>();
    if (carried == Carried.CONTINUE) {
      for (Trial t : trials) {
        if (t.carriedFrom() >= 0) {
          carriedRuns.add(t.carriedFrom());
          for (int shard = 0; shard < Math.max(replicas, shardCount); shard++) {
            String at = heldAt.get(pairKey(t.carriedFrom(), shard));
            if (at != null) {
              where.put(pairKey(t.number(), shard), at);
            }
          }
        }
      }
    }
    List<Kept> networks = List.of();
    for (int i = 0; i < ends.size() && !training.isEmpty(); i++) {
      boolean last = i == ends.size() - 1;
      boolean hold = holdEnded && last;
      Set<Integer> from = i == 0 ? Set.copyOf(carriedRuns) : Set.of();
      TrialTraining.Stage stage =
          ends.size() == 1 && !hold && from.isEmpty()
              ? TrialTraining.Stage.WHOLE
              : new TrialTraining.Stage(
                  id, plan.round(), ends.get(i), Set.copyOf(training), hold, 0, from);
      Pass pass =
          execute(
              "round " + plan.round(),
              last ? description : description + ", to checkpoint epoch " + ends.get(i),
              trials,
              current,
              keep == Keep.NETWORKS && last,
              stage,
              where,
              last ? tally : null);
      ranOn.addAll(pass.ranOn());
      if (last) {
        done.addAll(pass.scores());
        networks = pass.kept();
        heldAt = hold ? pass.locations() : Map.of();
        break;
      }
      Stopping.Decision d = stopping.decide(ends.get(i), byNumber, pass.scores(), objective);
      done.addAll(d.finished());
      tally.arrived(d.finished());
      LOG.info(
          "round {}: at epoch {} {} of {} trials train on",
          plan.round(),
          ends.get(i),
          d.goOn().size(),
          training.size());
      training = d.goOn();
      current = restrict(current, trials, training, sharded);
      where = pass.locations();
    }
    return networks;
  }

  /**
   * A round's confirmation, after its trials ended: one Spark job trains the leaders' next
   * replicates ({@link WorkPlan#confirmation}), adds their scores to {@code done} and returns the
   * round's kept networks with theirs. Held runs stay held like the round's others.
   */
  private List<Kept> confirm(
      RoundPlan plan,
      List<Trial> trials,
      List<Confirm.Need> needs,
      Keep keep,
      boolean hold,
      Tally tally,
      List<ReplicateScore> done,
      List<ExecutorBlas> ranOn,
      List<Kept> networks) {
    boolean sharded = layout == Layout.SHARDED;
    WorkPlan work =
        WorkPlan.confirmation(
            needs, trials.stream().map(Trial::number).toList(), costs(trials), shardCount, sharded);
    tally.expect(work.pairCount());
    // The trials that ended (not STOPPED) keep their paused runs through this stage.
    Set<Integer> ended = new TreeSet<>();
    for (ReplicateScore r : done) {
      if (r.status() != Status.STOPPED) {
        ended.add(r.trial());
      }
    }
    Set<Integer> carriedRuns = new TreeSet<>();
    if (carried == Carried.CONTINUE) {
      trials.stream()
          .filter(t -> t.carriedFrom() >= 0)
          .forEach(t -> carriedRuns.add(t.carriedFrom()));
    }
    TrialTraining.Stage stage =
        hold || !carriedRuns.isEmpty()
            ? new TrialTraining.Stage(
                id, plan.round(), Integer.MAX_VALUE, ended, hold, 0, carriedRuns)
            : TrialTraining.Stage.WHOLE;
    LOG.info(
        "round {}: {}: {} more replicates",
        plan.round(),
        plan.confirm().describe(),
        work.pairCount());
    Pass pass =
        execute(
            "round " + plan.round() + " confirmation",
            String.format(
                Locale.ROOT,
                "round %d/%d: the best %d trials confirmed, %d more %s",
                plan.round() + 1,
                plan.roundCount(),
                needs.size(),
                work.pairCount(),
                sharded ? "shards" : "seeds"),
            trials,
            work,
            keep == Keep.NETWORKS,
            stage,
            Map.of(),
            tally);
    ranOn.addAll(pass.ranOn());
    done.addAll(pass.scores());
    if (hold) {
      Map<String, String> at = new HashMap<>(heldAt);
      at.putAll(pass.locations());
      heldAt = at;
    }
    List<Kept> all = new ArrayList<>(networks);
    all.addAll(pass.kept());
    return all;
  }

  private double[] costs(List<Trial> trials) {
    double[] costs = new double[trials.size()];
    for (int i = 0; i < costs.length; i++) {
      costs[i] = TrialTraining.cost(trials.get(i), fixed, inputs);
    }
    return costs;
  }

  private int taskCount(List<Trial> trials) {
    return layout == Layout.SHARDED ? shardCount : trials.size() * replicas;
  }

  /**
   * The plan's tasks with only the pairs of {@code training}; empty tasks dropped unless sharded.
   */
  private static WorkPlan restrict(
      WorkPlan work, List<Trial> trials, Set<Integer> training, boolean sharded) {
    List<List<WorkPlan.Pair>> tasks = new ArrayList<>();
    for (List<WorkPlan.Pair> task : work.tasks()) {
      List<WorkPlan.Pair> kept =
          task.stream().filter(p -> training.contains(trials.get(p.trial()).number())).toList();
      if (sharded || !kept.isEmpty()) {
        tasks.add(kept);
      }
    }
    return new WorkPlan(tasks);
  }

  /**
   * Trains the given replicates of a round again, exactly as the round did (same seeds, same
   * shards: the same networks), and keeps their networks: the last round's networks after a resume
   * found the round on disk but its networks gone with the killed driver.
   *
   * @param replicates (trial, shard) of each replicate to train, trials from {@code trials}
   */
  public List<Kept> trainAgain(List<Trial> trials, List<ReplicateScore> replicates) {
    Pass pass =
        execute(
            "final model",
            String.format(
                Locale.ROOT, "final model: the last round's %d networks again", replicates.size()),
            trials,
            replicatePlan(trials, replicates),
            true,
            TrialTraining.Stage.WHOLE,
            Map.of(),
            null);
    finish("final model", pass.scores(), pass.ranOn(), pass.kept());
    return kept;
  }

  /**
   * What {@link #continueOnAllRows} brought back: the continued networks ({@link #keptNetworks}
   * too), and one score per replicate asked for, DIVERGED with the reason where the continuation
   * diverged (an OK one carries the round's own scores).
   */
  public record Continued(List<Kept> networks, List<ReplicateScore> scores) {}

  /**
   * Trains the given replicates of the last round on, {@code epochs} more epochs each on all its
   * data's rows (validation rows included), from where the round left them: its runs, held where
   * they ended when the round ran with {@link Keep#RUNS} (tasks prefer those executors); a run not
   * found (a resumed study, a lost executor, an eviction) is trained again from its seed to the
   * same state first. Keeps the networks.
   *
   * @param trials the last round's trials
   * @param replicates (trial, shard) of each replicate to continue, trials from {@code trials}
   */
  public Continued continueOnAllRows(
      List<Trial> trials, List<ReplicateScore> replicates, int epochs) {
    int round = trials.get(0).round();
    Set<Integer> wanted = new TreeSet<>();
    for (ReplicateScore r : replicates) {
      wanted.add(r.trial());
    }
    Pass pass;
    try {
      pass =
          execute(
              "final model",
              String.format(
                  Locale.ROOT,
                  "final model: the last round's %d networks, %d more epochs on all rows",
                  replicates.size(),
                  epochs),
              trials,
              replicatePlan(trials, replicates),
              true,
              new TrialTraining.Stage(id, round, Integer.MAX_VALUE, wanted, false, epochs),
              heldAt,
              null);
    } finally {
      PausedRuns.forget(id, Integer.MAX_VALUE, Set.of());
      heldAt = Map.of();
    }
    List<ReplicateScore> scores = finish("final model", pass.scores(), pass.ranOn(), pass.kept());
    return new Continued(kept, scores);
  }

  // One task per replicate (broadcast layout) or per shard holding its replicates (sharded).
  private WorkPlan replicatePlan(List<Trial> trials, List<ReplicateScore> replicates) {
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
    return new WorkPlan(tasks);
  }

  /**
   * The networks the last {@code run(..., Keep.NETWORKS)}, {@link #trainAgain} or {@link
   * #continueOnAllRows} kept, by trial and shard.
   */
  public List<Kept> keptNetworks() {
    return kept;
  }

  /** Counts a round's replicates as they end, for the progress listener. */
  private final class Tally {
    private final RoundPlan plan;
    private int total;
    private int done;

    Tally(RoundPlan plan, int total) {
      this.plan = plan;
      this.total = total;
    }

    /** A confirmation adds {@code more} replicates to the round's. */
    synchronized void expect(int more) {
      total += more;
    }

    synchronized void arrived(List<ReplicateScore> scores) {
      if (scores.isEmpty()) {
        return;
      }
      done += scores.size();
      progress.taskDone(plan, done, total, scores);
    }
  }

  /**
   * What one Spark job brought back.
   *
   * @param locations where each replicate ran, as a Spark task location ({@code executor_host_id}),
   *     by {@link #pairKey}
   */
  private record Pass(
      List<ReplicateScore> scores,
      List<ExecutorBlas> ranOn,
      List<Kept> kept,
      Map<String, String> locations) {}

  private static String pairKey(int trial, int shard) {
    return trial + "/" + shard;
  }

  /** Records where the round ran and checks its BLAS; sorts and returns the scores. */
  private List<ReplicateScore> finish(
      String what, List<ReplicateScore> results, List<ExecutorBlas> ranOn, List<Kept> networks) {
    lastRoundBlas = ExecutorBlas.merge(new ArrayList<>(ranOn));
    ExecutorBlas.checkMixed(what, lastRoundBlas);
    List<ReplicateScore> sorted = new ArrayList<>(results);
    sorted.sort(
        Comparator.comparingInt(ReplicateScore::trial).thenComparingInt(ReplicateScore::shard));
    if (networks == null) {
      kept = List.of();
    } else {
      List<Kept> keptSorted = new ArrayList<>(networks);
      keptSorted.sort(Comparator.comparingInt(Kept::trial).thenComparingInt(Kept::shard));
      kept = List.copyOf(keptSorted);
    }
    return sorted;
  }

  /**
   * One Spark job: each task trains its pairs as far as {@code stage} says.
   *
   * @param where the executor each pair's run was paused on (broadcast layout: its task prefers
   *     that executor); empty when nothing is paused
   * @param tally told as each task's scores arrive; null to tell nothing (a checkpoint's scores are
   *     not results yet)
   */
  private Pass execute(
      String what,
      String description,
      List<Trial> trials,
      WorkPlan work,
      boolean keep,
      TrialTraining.Stage stage,
      Map<String, String> where,
      Tally tally) {
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
                        networks,
                        stage),
                    networks);
              };
    } else {
      rdd = taskIndices(work, trials, where);
      Broadcast<PackedShard> data = all;
      task =
          (Function1<scala.collection.Iterator<Object>, TaskResult> & Serializable)
              it -> {
                int index = (Integer) it.next();
                // Broadcast layout: the shard coordinate of a replicate is its replica number.
                List<WorkPlan.Pair> pairs = workB.value().tasks().get(index);
                ArrayList<Kept> networks = keep ? new ArrayList<>() : null;
                return TaskResult.of(
                    training.trainAll(pairs, trialsB.value(), data.value(), -1, networks, stage),
                    networks);
              };
    }

    List<ReplicateScore> results = Collections.synchronizedList(new ArrayList<>());
    List<ExecutorBlas> ranOn = Collections.synchronizedList(new ArrayList<>());
    List<Kept> networks = Collections.synchronizedList(new ArrayList<>());
    Map<String, String> locations = new java.util.concurrent.ConcurrentHashMap<>();
    Function2<Object, TaskResult, BoxedUnit> handler =
        (Function2<Object, TaskResult, BoxedUnit> & Serializable)
            (index, result) -> {
              ExecutorBlas here = result.ranOn();
              List<ReplicateScore> scores =
                  result.scores().stream().map(s -> s.ranOn(here.executor(), here.blas())).toList();
              ranOn.add(here);
              results.addAll(scores);
              for (ReplicateScore s : scores) {
                locations.put(pairKey(s.trial(), s.shard()), result.location());
              }
              if (result.kept() != null) {
                networks.addAll(result.kept());
              }
              if (tally != null) {
                tally.arrived(scores);
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
    LOG.info(
        "{}: {} trainings in {} ms", what, results.size(), (System.nanoTime() - start) / 1_000_000);
    return new Pass(
        new ArrayList<>(results), new ArrayList<>(ranOn), new ArrayList<>(networks), locations);
  }

  /**
   * One partition per task of the broadcast layout, holding the task's index; a task whose pair was
   * paused on an executor prefers that executor (Spark falls back to any after its locality wait,
   * and a run not found there is trained again from its seed).
   */
  private RDD<Integer> taskIndices(WorkPlan work, List<Trial> trials, Map<String, String> where) {
    int taskCount = work.tasks().size();
    if (where.isEmpty()) {
      return sc.parallelize(IntStream.range(0, taskCount).boxed().toList(), Math.max(1, taskCount))
          .rdd();
    }
    List<Tuple2<Integer, scala.collection.immutable.Seq<String>>> items = new ArrayList<>();
    for (int i = 0; i < taskCount; i++) {
      List<String> prefer = new ArrayList<>();
      for (WorkPlan.Pair p : work.tasks().get(i)) {
        String at = where.get(pairKey(trials.get(p.trial()).number(), p.replica()));
        if (at != null && !prefer.contains(at)) {
          prefer.add(at);
        }
      }
      items.add(new Tuple2<>(i, CollectionConverters.asScala(prefer).toSeq()));
    }
    return sc.sc().makeRDD(CollectionConverters.asScala(items).toSeq(), INTEGER);
  }

  private static final ClassTag<Integer> INTEGER = ClassTag$.MODULE$.apply(Integer.class);

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
