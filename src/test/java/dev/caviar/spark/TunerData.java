package dev.caviar.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** Small DataFrames and a small study for the Spark ML face's tests. */
public final class TunerData {
  private TunerData() {}

  /** Four raw numeric columns {@code a..d} and an integer {@code label} in 0..2: three blobs. */
  public static Dataset<Row> raw(SparkSession spark, int rows, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    List<Row> out = new ArrayList<>();
    double[][] centres = {{2, 0, 10, -1}, {-2, 1, 12, 1}, {0, -2, 8, 0}};
    for (int i = 0; i < rows; i++) {
      int c = i % 3;
      double[] x = new double[4];
      for (int j = 0; j < 4; j++) {
        x[j] = centres[c][j] + rng.nextGaussian() * (j == 2 ? 3 : 1);
      }
      out.add(RowFactory.create(x[0], x[1], x[2], x[3], c));
    }
    StructType schema =
        new StructType()
            .add("a", DataTypes.DoubleType)
            .add("b", DataTypes.DoubleType)
            .add("c", DataTypes.DoubleType)
            .add("d", DataTypes.DoubleType)
            .add("label", DataTypes.IntegerType);
    return spark.createDataFrame(out, schema);
  }

  /** A study of a few seconds: two rounds of a few one-hidden-layer networks, one final model. */
  public static final String STUDY =
      String.join(
          "\n",
          "study { name = tuner, seed = 7, rounds = [{ trials = 4, epochs = 2 }, { trials = 2,"
              + " epochs = 3 }] }",
          "model { layers = 1, units = 8, batchSize = 16 }",
          "space { learningRate { scale = log, low = 1e-3, high = 1e-1 } }",
          "execution { layout = broadcast, shards = 2 }",
          "final.models = 1");
}
