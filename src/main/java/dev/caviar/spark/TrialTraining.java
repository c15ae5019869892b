package dev.caviar.spark;

import dev.caviar.data.PackedShard;
import dev.caviar.nn.DataView;
import dev.caviar.nn.EpochListener;
import dev.caviar.nn.EpochStats;
import dev.caviar.nn.NetworkSpec;
import dev.caviar.nn.TrainingResult;
import dev.caviar.nn.TrainingRun;
import dev.caviar.study.EpochRecord;
import dev.caviar.study.ReplicateScore;
import dev.caviar.study.Status;
import dev.caviar.study.Trial;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Trains the (trial, shard) pairs of one task and turns each outcome into a {@link ReplicateScore}.
 * Pure Java: it runs inside Spark tasks but knows nothing of Spark. A diverged network is a
 * DIVERGED score; an exception while training one pair is a FAILED score with the reason, and the
 * task goes on with its other pairs.
 */
final class TrialTraining implements Serializable {
  private static final long serialVersionUID = 1L;

  private final Map<String, Object> fixed;
  private final double divergenceFactor;

  TrialTraining(Map<String, Object> fixed, double divergenceFactor) {
    this.fixed = Map.copyOf(fixed);
    this.divergenceFactor = divergenceFactor;
  }

  /** The model section's fixed values overlaid with the trial's own. */
  static Map<String, Object> merged(Map<String, Object> fixed, Trial trial) {
    Map<String, Object> all = new TreeMap<>(fixed);
    all.putAll(trial.params());
    return all;
  }

  NetworkSpec spec(Trial trial, int inputs, int classes) {
    return Networks.toSpec(merged(fixed, trial), inputs, classes, trial.epochs(), divergenceFactor);
  }

  /**
   * Relative cost of a trial, for balancing: multiply-adds per example times epochs, with a penalty
   * for small mini-batches (per-batch overheads and skinny products).
   */
  static double cost(Trial trial, Map<String, Object> fixed, int inputs) {
    NetworkSpec spec;
    try {
      spec = Networks.toSpec(merged(fixed, trial), inputs, 10, trial.epochs(), 0);
    } catch (IllegalArgumentException e) {
      // An impossible configuration fails in its task, as a FAILED replicate with the reason;
      // here it only needs a place in the plan.
      return 1;
    }
    int[] w = spec.widths();
    double macs = 0;
    for (int k = 0; k + 1 < w.length; k++) {
      macs += (double) w[k] * w[k + 1];
    }
    return trial.epochs() * macs * (1 + 32.0 / spec.batchSize());
  }

  /**
   * How far a task trains its pairs: to a checkpoint of a round with early stopping (pausing the
   * runs there, in this JVM's {@link PausedRuns}), or to the end.
   *
   * @param study the runner's id, so that two studies in one JVM never share paused runs
   * @param round the round
   * @param until the epoch to reach; {@link Integer#MAX_VALUE} for each trial's own epochs
   * @param training the trials of the round still training (the others' paused runs are dropped)
   * @param holdEnded whether a run that ended its epochs stays paused too: the last round's, when
   *     the final model continues them ({@code final.train = continue})
   * @param onAllRows epochs each run trains on after its own, on all the data's rows (validation
   *     rows included), before its network is kept; 0 for none
   * @param carriedRuns the previous round's trials whose ended runs this stage's carried trials go
   *     on from ({@code study.carried = continue}); empty for none
   */
  record Stage(
      String study,
      int round,
      int until,
      java.util.Set<Integer> training,
      boolean holdEnded,
      int onAllRows,
      java.util.Set<Integer> carriedRuns)
      implements Serializable {
    /** Every pair to its end, nothing paused: a round without early stopping. */
    static final Stage WHOLE = new Stage("", -1, Integer.MAX_VALUE, java.util.Set.of());

    /** To a checkpoint, or to the end of a round, nothing held past its end. */
    Stage(String study, int round, int until, java.util.Set<Integer> training) {
      this(study, round, until, training, false, 0, java.util.Set.of());
    }

    /** Taking up no run of the previous round. */
    Stage(
        String study,
        int round,
        int until,
        java.util.Set<Integer> training,
        boolean holdEnded,
        int onAllRows) {
      this(study, round, until, training, holdEnded, onAllRows, java.util.Set.of());
    }

    boolean pausing() {
      return !study.isEmpty();
    }
  }

  /** As {@link #trainAll(List, List, PackedShard, int, List, Stage)}, keeping no network. */
  ArrayList<ReplicateScore> trainAll(
      List<WorkPlan.Pair> pairs, List<Trial> trials, PackedShard data, int shardIndex) {
    return trainAll(pairs, trials, data, shardIndex, null, Stage.WHOLE);
  }

  /**
   * @param shardIndex the shard's index in the sharded layout; -1 in the broadcast layout, where a
   *     replicate's shard coordinate is its replica number
   * @param keep where the OK replicates' networks go; null to keep none
   */
  ArrayList<ReplicateScore> trainAll(
      List<WorkPlan.Pair> pairs,
      List<Trial> trials,
      PackedShard data,
      int shardIndex,
      List<SparkRunner.Kept> keep,
      Stage stage) {
    if (stage.pausing()) {
      PausedRuns.forget(stage.study(), stage.round(), stage.training(), stage.carriedRuns());
    }
    ArrayList<ReplicateScore> out = new ArrayList<>(pairs.size());
    DataView train = new DataView(data.features(), data.labels(), data.width(), data.trainRows());
    DataView validation =
        new DataView(data.features(), data.labels(), data.width(), data.validationRows());
    for (WorkPlan.Pair pair : pairs) {
      Trial trial = trials.get(pair.trial());
      int shard = shardIndex >= 0 ? shardIndex : pair.replica();
      out.add(trainOne(trial, shard, data, train, validation, keep, stage));
    }
    return out;
  }

  ReplicateScore trainOne(
      Trial trial,
      int shard,
      PackedShard data,
      DataView train,
      DataView validation,
      List<SparkRunner.Kept> keep,
      Stage stage) {
    long seed = trial.seedFor(shard);
    long start = System.nanoTime();
    try {
      if (train.size() == 0 || validation.size() == 0) {
        return failed(
            trial,
            shard,
            seed,
            start,
            String.format(
                "shard %d has %d training and %d validation rows; both must be > 0",
                shard, train.size(), validation.size()));
      }
      NetworkSpec spec = spec(trial, data.width(), data.classes());
      PausedRuns.Key key = new PausedRuns.Key(stage.study(), stage.round(), trial.number(), shard);
      TrainingRun run = stage.pausing() ? PausedRuns.take(key) : null;
      if (run == null && stage.carriedRuns().contains(trial.carriedFrom())) {
        // A carried trial (study.carried = continue) goes on from the run its trial of the previous
        // round ended with; it has the same seed, so the run started below reaches the same state.
        TrainingRun ended =
            PausedRuns.take(
                new PausedRuns.Key(stage.study(), stage.round() - 1, trial.carriedFrom(), shard));
        if (ended != null) {
          run = ended.extendTo(trial.epochs());
        }
      }
      if (run == null) {
        // Not paused here (first stage, another executor, or evicted): from the seed, which
        // reaches the same state.
        run = TrainingRun.start(spec, train, validation, seed);
      }
      run.advance(stage.until(), EpochListener.NONE);
      if (stage.pausing() && !run.diverged() && (!run.finished() || stage.holdEnded())) {
        PausedRuns.put(key, run);
      }
      TrainingResult r = run.result();
      // The engine counts epochs from 0, the study's records from 1.
      List<EpochRecord> curve = new ArrayList<>(r.history().size());
      double trainLoss = Double.NaN;
      for (EpochStats e : r.history()) {
        curve.add(
            new EpochRecord(
                e.epoch() + 1,
                e.trainLoss(),
                e.validationLoss(),
                e.validationAccuracy(),
                Arrays.stream(e.updateRatioPerLayer()).boxed().toList()));
        trainLoss = e.trainLoss();
      }
      long nanos = r.trainingNanos();
      if (r.diverged()) {
        return diverged(trial, shard, seed, r.reason(), r.history().size(), curve, nanos, r);
      }
      dev.caviar.nn.Model network = r.model();
      int trainedOn = train.size();
      if (stage.onAllRows() > 0 && run.finished()) {
        // The round's run, trained on where it ended on every row; the replicate's scores stay
        // the round's (nothing is left to validate on).
        PackedShard whole = data.allRowsTraining();
        DataView all =
            new DataView(whole.features(), whole.labels(), whole.width(), whole.trainRows());
        TrainingResult c =
            run.continueOn(all, stage.onAllRows())
                .advance(Integer.MAX_VALUE, EpochListener.NONE)
                .result();
        if (c.diverged()) {
          String why = "diverged when continued on all rows: " + c.reason();
          return diverged(trial, shard, seed, why, c.history().size(), curve, c.trainingNanos(), r);
        }
        network = c.model();
        trainedOn = all.size();
        nanos = c.trainingNanos();
      }
      if (keep != null && run.finished()) {
        keep.add(
            new SparkRunner.Kept(
                trial.number(), shard, seed, trainedOn, network, ExecutorBlas.here(1), nanos));
      }
      return ReplicateScore.ok(
              trial.round(),
              trial.number(),
              shard,
              seed,
              r.validationAccuracy(),
              r.validationLoss(),
              trainLoss,
              r.history().size(),
              curve,
              nanos)
          .withInitialLoss(r.initialLoss(), r.lnClasses())
          .withValidationHalves(r.validationHalves());
    } catch (RuntimeException e) {
      return failed(trial, shard, seed, start, e.toString());
    }
  }

  private static ReplicateScore diverged(
      Trial trial,
      int shard,
      long seed,
      String reason,
      int epochs,
      List<EpochRecord> curve,
      long nanos,
      TrainingResult round) {
    return ReplicateScore.notOk(
            trial.round(),
            trial.number(),
            shard,
            seed,
            Status.DIVERGED,
            reason,
            epochs,
            curve,
            nanos)
        .withInitialLoss(round.initialLoss(), round.lnClasses());
  }

  private static ReplicateScore failed(
      Trial trial, int shard, long seed, long start, String reason) {
    return ReplicateScore.notOk(
        trial.round(),
        trial.number(),
        shard,
        seed,
        Status.FAILED,
        reason,
        0,
        List.of(),
        System.nanoTime() - start);
  }
}
