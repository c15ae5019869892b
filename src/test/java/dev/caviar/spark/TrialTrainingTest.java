package dev.caviar.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.caviar.data.PackedShard;
import dev.caviar.study.ReplicateScore;
import dev.caviar.study.Status;
import dev.caviar.study.Trial;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Failures are results: a trial that cannot train becomes a FAILED replicate, not a crash. */
class TrialTrainingTest {

  private static PackedShard shard() {
    SplittableRandom rng = new SplittableRandom(1);
    int rows = 60;
    float[] x = new float[rows * 3];
    int[] y = new int[rows];
    long[] ids = new long[rows];
    for (int i = 0; i < rows; i++) {
      y[i] = i % 2;
      ids[i] = i;
      for (int j = 0; j < 3; j++) {
        x[i * 3 + j] = (float) (rng.nextGaussian() + (j == 0 ? 2 * y[i] : 0));
      }
    }
    int[] train = new int[40];
    int[] validation = new int[20];
    for (int i = 0; i < rows; i++) {
      if (i < 40) {
        train[i] = i;
      } else {
        validation[i - 40] = i;
      }
    }
    return new PackedShard(0, 3, 2, x, y, train, validation, ids);
  }

  private static Trial trial(Map<String, Object> params) {
    return new Trial(0, 0, 11, new TreeMap<>(params), 2, -1);
  }

  private static List<ReplicateScore> trainBoth(TrialTraining training, Trial a, Trial b) {
    return training.trainAll(
        List.of(new WorkPlan.Pair(0, 0), new WorkPlan.Pair(1, 0)), List.of(a, b), shard(), 0);
  }

  @Test
  void anImpossibleConfigurationIsAFailedReplicateWithItsReason() {
    Trial bad = trial(Map.of("decay", "exponential", "decayRate", 3.0));
    assertEquals(1, TrialTraining.cost(bad, Map.of(), 3));
    List<ReplicateScore> scores =
        new TrialTraining(Map.of(), 10)
            .trainAll(List.of(new WorkPlan.Pair(0, 0)), List.of(bad), shard(), 0);
    assertEquals(Status.FAILED, scores.get(0).status());
    assertTrue(scores.get(0).reason().contains("3.0"), scores.get(0).reason());
  }

  @Test
  void aDivergingTrialIsDivergedAndAGoodOneIsOk() {
    TrialTraining training = new TrialTraining(Map.of("units", 8, "layers", 1), 10);
    Trial wild = trial(Map.of("learningRate", 10.0));
    Trial calm = trial(Map.of("learningRate", 0.01));
    List<ReplicateScore> scores = trainBoth(training, wild, calm);
    assertEquals(Status.DIVERGED, scores.get(0).status(), scores.get(0).reason());
    assertEquals(Status.OK, scores.get(1).status(), scores.get(1).reason());
    assertEquals(2, scores.get(1).curve().size());
    assertEquals(1, scores.get(1).curve().get(0).epoch());
  }

  @Test
  void aLearningRateFarTooHighIsFlaggedByItsUpdateRatiosAndASaneOneIsNot() {
    // A divergence factor no loss reaches, so the wild trial trains to its end and is judged by its
    // update/weight ratios alone.
    TrialTraining training = new TrialTraining(Map.of("units", 8, "layers", 1), 1e12);
    Trial wild = trial(Map.of("learningRate", 3.0));
    // Adam moves each weight by about the learning rate, and the 8x2 output matrix holds weights
    // of ~0.3: 2e-4 keeps its ratio near 1e-3, where the course wants it.
    Trial calm = trial(Map.of("learningRate", 2e-4));
    List<ReplicateScore> scores = trainBoth(training, wild, calm);
    ReplicateScore w = scores.get(0);
    ReplicateScore c = scores.get(1);
    assertEquals(Status.OK, c.status(), c.reason());
    assertEquals(Math.log(2), c.lnClasses(), 1e-12);
    assertEquals(Math.log(2), c.initialLoss(), 0.1 * Math.log(2));
    assertEquals(List.of(2, 2), c.curve().stream().map(e -> e.updateRatios().size()).toList());
    assertEquals("", c.babysitting(), "ratios " + c.minUpdateRatio() + ".." + c.maxUpdateRatio());
    assertTrue(w.maxUpdateRatio() > 1e-2, "ratio " + w.maxUpdateRatio());
    assertTrue(w.babysitting().contains("update/weight ratio outside"), w.babysitting());
  }

  @Test
  void aPausedRunThatIsNotInThisJvmIsTrainedAgainFromItsSeedToTheSameScores() {
    TrialTraining training = new TrialTraining(Map.of("units", 8, "layers", 1), 10);
    Trial t = new Trial(0, 0, 11, new TreeMap<>(Map.of("learningRate", 0.01)), 5, -1);
    List<WorkPlan.Pair> pair = List.of(new WorkPlan.Pair(0, 0));
    ReplicateScore whole = training.trainAll(pair, List.of(t), shard(), 0).get(0);

    String study = "paused-" + System.nanoTime();
    TrialTraining.Stage toTwo = new TrialTraining.Stage(study, 0, 2, java.util.Set.of(0));
    TrialTraining.Stage toEnd =
        new TrialTraining.Stage(study, 0, Integer.MAX_VALUE, java.util.Set.of(0));
    ReplicateScore atTwo = training.trainAll(pair, List.of(t), shard(), 0, null, toTwo).get(0);
    assertEquals(2, atTwo.epochsRun());
    assertEquals(whole.curve().get(1).validationAccuracy(), atTwo.validationAccuracy(), 0);
    // Taken up where it paused ...
    ReplicateScore resumed = training.trainAll(pair, List.of(t), shard(), 0, null, toEnd).get(0);
    // ... or, with the paused run gone (another executor ran the next stage), from the seed.
    training.trainAll(pair, List.of(t), shard(), 0, null, toTwo);
    PausedRuns.forget(study, 1, java.util.Set.of());
    ReplicateScore again = training.trainAll(pair, List.of(t), shard(), 0, null, toEnd).get(0);
    for (ReplicateScore r : List.of(resumed, again)) {
      assertEquals(5, r.epochsRun());
      assertEquals(SparkStudyTest.scoresOf(List.of(whole)), SparkStudyTest.scoresOf(List.of(r)));
    }
  }
}
