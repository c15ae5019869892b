package dev.caviar.data;

import dev.caviar.config.DataSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * A seeded, non-linear, multi-class problem generated inside the partitions. Each class is a
 * mixture of {@value #BLOBS} Gaussian blobs (so no single hyperplane separates a class from the
 * rest), the points are bent by a fixed sparse sinusoidal map, and {@code difficulty} widens the
 * blobs and relabels a share of the rows at random. With {@code shiftAfter} the concept shifts:
 * from that row index on, every label is rotated to the next class, so a model of the earlier rows
 * is wrong about nearly every later one while the problem stays as hard as before.
 *
 * <p>Row {@code i} is a pure function of (seed, i): the problem's parameters come from the seed
 * alone and each row draws from its own generator, so the data is the same for any partitioning.
 */
final class SyntheticSource {
  static final int BLOBS = 3;
  private static final int TAPS = 8;

  private SyntheticSource() {}

  /** The problem's fixed parameters: blob centres and the sparse bending map. */
  record Problem(
      int classes,
      double[][][] centres,
      int[][] taps,
      double[][] weights,
      double noise,
      double labelNoise,
      long shiftAfter) {

    static Problem of(DataSpec.Synthetic spec, long seed) {
      SplittableRandom rng = new SplittableRandom(RowHash.mix(seed, -1));
      int d = spec.features();
      double[][][] centres = new double[spec.classes()][BLOBS][d];
      for (double[][] cls : centres) {
        for (double[] centre : cls) {
          for (int j = 0; j < d; j++) {
            centre[j] = rng.nextGaussian();
          }
        }
      }
      int k = Math.min(d, TAPS);
      int[][] taps = new int[d][k];
      double[][] weights = new double[d][k];
      for (int j = 0; j < d; j++) {
        for (int t = 0; t < k; t++) {
          taps[j][t] = rng.nextInt(d);
          weights[j][t] = rng.nextGaussian() * 1.5 / Math.sqrt(k);
        }
      }
      double difficulty = spec.difficulty();
      return new Problem(
          spec.classes(),
          centres,
          taps,
          weights,
          0.3 + 1.2 * difficulty,
          0.25 * difficulty,
          spec.shiftAfter());
    }

    Example row(long seed, long index) {
      SplittableRandom rng = new SplittableRandom(RowHash.mix(seed, index));
      int label = rng.nextInt(classes);
      double[] centre = centres[label][rng.nextInt(BLOBS)];
      int d = centre.length;
      double[] z = new double[d];
      for (int j = 0; j < d; j++) {
        z[j] = centre[j] + noise * rng.nextGaussian();
      }
      double[] x = new double[d];
      for (int j = 0; j < d; j++) {
        double s = 0;
        for (int t = 0; t < taps[j].length; t++) {
          s += weights[j][t] * z[taps[j][t]];
        }
        x[j] = z[j] + Math.sin(s);
      }
      if (rng.nextDouble() < labelNoise) {
        label = rng.nextInt(classes);
      }
      if (shiftAfter > 0 && index >= shiftAfter) {
        label = (label + 1) % classes;
      }
      return new Example(index, label, x);
    }
  }

  static RawTable read(JavaSparkContext jsc, DataSpec.Synthetic spec, long seed, int partitions) {
    String name = "synthetic(seed " + seed + ")";
    JavaRDD<Sourced> rows =
        RangeSlices.of(jsc, spec.rows(), partitions)
            .mapPartitions(
                ranges -> {
                  Problem problem = Problem.of(spec, seed);
                  List<Sourced> out = new ArrayList<>();
                  while (ranges.hasNext()) {
                    long[] range = ranges.next();
                    for (long i = range[0]; i < range[1]; i++) {
                      out.add(
                          new Sourced(problem.row(seed, i), new Sourced.Indexed(name, "row", i)));
                    }
                  }
                  return out.iterator();
                });
    return new RawTable(rows, spec.features(), name, null);
  }
}
