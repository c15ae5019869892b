package dev.caviar.spark;

import dev.caviar.data.PackedShard;
import dev.caviar.nn.DataView;
import dev.caviar.nn.Model;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * The final model's test score, computed where the test rows are cached: the networks go out once
 * (a broadcast), five numbers per test part come back. Scores a single model and the ensemble side
 * by side; an ensemble averages its members' class probabilities.
 */
final class TestScoring {
  /** Test rows scored per block: bounds a task's probability buffers whatever a part's size. */
  private static final int SCORE_BLOCK = 4096;

  private TestScoring() {}

  /**
   * The test figures of the single model (the first members: one network, or the winner's
   * replicates) and of the ensemble (every member).
   *
   * @param rows test rows scored
   */
  record Score(
      long rows,
      double singleAccuracy,
      double singleLoss,
      double ensembleAccuracy,
      double ensembleLoss) {}

  /** As {@link #score(JavaSparkContext, List, int, JavaRDD)} with a single model of one network. */
  static Score score(JavaSparkContext sc, List<Model> members, JavaRDD<PackedShard> testParts) {
    return score(sc, members, 1, testParts);
  }

  /**
   * Scores the single model (the first {@code single} members, averaged) and the ensemble (all
   * members) on the test parts where they are cached: each task sends back five numbers, summed on
   * the driver in part order (so the result does not depend on which task ends first).
   */
  static Score score(
      JavaSparkContext sc, List<Model> members, int single, JavaRDD<PackedShard> testParts) {
    Broadcast<ArrayList<Model>> models = sc.broadcast(new ArrayList<>(members));
    try {
      List<double[]> parts = testParts.map(p -> scorePart(models.value(), single, p)).collect();
      double[] sum = new double[5];
      for (double[] p : parts) {
        for (int i = 0; i < sum.length; i++) {
          sum[i] += p[i];
        }
      }
      double n = sum[0];
      return new Score((long) n, sum[2] / n, sum[1] / n, sum[4] / n, sum[3] / n);
    } finally {
      models.destroy();
    }
  }

  /** As {@link #scorePart(List, int, PackedShard)} with a single model of one network. */
  static double[] scorePart(List<Model> members, PackedShard part) {
    return scorePart(members, 1, part);
  }

  /**
   * {rows, single loss sum, single correct, ensemble loss sum, ensemble correct} of one part. A
   * single model of one network is scored exactly as {@link Model#evaluate} does; averaged
   * probabilities (the first {@code single} members, and all of them) are scored by the
   * cross-entropy of the average, floored at 1e-30 so that a confident mistake costs 69, not
   * infinity.
   */
  static double[] scorePart(List<Model> members, int single, PackedShard part) {
    if (!(single >= 1 && single <= members.size())) {
      throw new IllegalArgumentException(
          "single: must be in [1, " + members.size() + "], got " + single);
    }
    int[] rows = part.validationRows();
    int c = part.classes();
    double[] out = new double[5];
    out[0] = rows.length;
    int block = Math.max(1, Math.min(SCORE_BLOCK, rows.length));
    float[] p = new float[block * c];
    double[] first = new double[block * c];
    double[] avg = new double[block * c];
    for (int from = 0; from < rows.length; from += block) {
      int m = Math.min(block, rows.length - from);
      DataView view =
          new DataView(
              part.features(),
              part.labels(),
              part.width(),
              Arrays.copyOfRange(rows, from, from + m));
      Arrays.fill(avg, 0);
      for (int k = 0; k < members.size(); k++) {
        members.get(k).predictProbabilities(view, p);
        for (int i = 0; i < m * c; i++) {
          avg[i] += p[i];
        }
        if (k == single - 1) {
          System.arraycopy(avg, 0, first, 0, m * c);
        }
      }
      if (single == 1) {
        Model.Evaluation one = members.get(0).evaluate(view);
        out[1] += one.loss() * m;
        out[2] += Math.round(one.accuracy() * m);
      } else {
        addAveraged(first, single, view, part.labels(), c, m, out, 1);
      }
      addAveraged(avg, members.size(), view, part.labels(), c, m, out, 3);
    }
    return out;
  }

  /** Adds the loss sum and the correct count of averaged probabilities at {@code out[at..at+1]}. */
  private static void addAveraged(
      double[] sum, int count, DataView view, int[] labels, int c, int m, double[] out, int at) {
    for (int j = 0; j < m; j++) {
      int label = labels[view.row(j)];
      int best = 0;
      for (int i = 1; i < c; i++) {
        if (sum[j * c + i] > sum[j * c + best]) {
          best = i;
        }
      }
      out[at] -= Math.log(Math.max(sum[j * c + label] / count, 1e-30));
      if (best == label) {
        out[at + 1]++;
      }
    }
  }
}
