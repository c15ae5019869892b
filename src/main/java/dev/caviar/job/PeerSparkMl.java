package dev.caviar.job;

import dev.caviar.config.StudyConfig;
import dev.caviar.config.StudySpec;
import dev.caviar.data.Datasets;
import dev.caviar.data.LoadedData;
import dev.caviar.data.PackedShard;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.spark.ml.classification.MultilayerPerceptronClassifier;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.tuning.ParamGridBuilder;
import org.apache.spark.ml.tuning.TrainValidationSplit;
import org.apache.spark.ml.tuning.TrainValidationSplitModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The Spark ML peer of {@code jobs/bench-peers} (issue 14): what a Spark user has today. Spark ML's
 * {@code TrainValidationSplit} over a {@code ParamGridBuilder} grid of {@code
 * MultilayerPerceptronClassifier} (its defaults otherwise: L-BFGS, sigmoid hidden layers, softmax
 * output, block size 128, tolerance 1e-6), on the same data as Caviar: the rows {@code
 * conf/fashion-mnist.conf} reads, standardised with the training statistics by Caviar's own loader,
 * the same validation fraction ({@code trainRatio} = 1 - data.validationFraction), the study seed
 * as the split's and the networks' seed. TrainValidationSplit refits the winner on all training
 * rows, like Caviar's final model; it is scored on the standard test set.
 *
 * <p>Spark ML has no time budget: the grid (3 architectures x 2 iteration counts) is sized so that
 * it fits 15 minutes on two cores (an MLP of 784-256-10 fits 60k rows in 50 L-BFGS iterations in
 * about 90 s there, PERFORMANCE.md); the wall time says whether it did.
 *
 * <pre>
 * PeerSparkMl --seed S [--conf conf/fashion-mnist.conf] [--subset ROWS] [--max-iter K]
 * </pre>
 *
 * Prints {@code sparkml.key=value} lines. The master comes from {@code -Dspark.master} ({@code
 * jobs/bench-peers} passes {@code local[2]}).
 */
public final class PeerSparkMl {
  private PeerSparkMl() {}

  public static void main(String[] args) {
    String conf = "conf/fashion-mnist.conf";
    long seed = 7;
    int subset = 0;
    int maxIter = 50;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--conf" -> conf = args[i + 1];
        case "--seed" -> seed = Long.parseLong(args[i + 1]);
        case "--subset" -> subset = Integer.parseInt(args[i + 1]);
        case "--max-iter" -> maxIter = Integer.parseInt(args[i + 1]);
        default -> throw new IllegalArgumentException("PeerSparkMl: unknown option " + args[i]);
      }
    }
    long start = System.nanoTime();
    StudySpec spec = StudyConfig.load(conf, List.of("study.seed=" + seed));
    SparkSession spark = Caviar.session("peer-spark-ml");
    try {
      LoadedData data = Datasets.load(spark, spec.data(), seed, 1);
      Dataset<Row> train = frame(spark, data.trainingSet(), subset).cache();
      Dataset<Row> test = frame(spark, data.testSet(), 0).cache();
      int width = data.width();
      int classes = data.classes();
      System.out.printf(
          Locale.ROOT,
          "sparkml.rows=%d test_rows=%d load_seconds=%.1f%n",
          train.count(),
          test.count(),
          (System.nanoTime() - start) / 1e9);

      MultilayerPerceptronClassifier mlp = new MultilayerPerceptronClassifier().setSeed(seed);
      List<int[]> layers =
          List.of(
              new int[] {width, 128, classes},
              new int[] {width, 256, classes},
              new int[] {width, 256, 128, classes});
      ParamMap[] grid =
          new ParamGridBuilder()
              .addGrid(mlp.layers(), scala.jdk.javaapi.CollectionConverters.asScala(layers))
              .addGrid(mlp.maxIter(), new int[] {maxIter, 2 * maxIter})
              .build();
      MulticlassClassificationEvaluator accuracy =
          new MulticlassClassificationEvaluator().setMetricName("accuracy");
      TrainValidationSplit tvs =
          new TrainValidationSplit()
              .setEstimator(mlp)
              .setEstimatorParamMaps(grid)
              .setEvaluator(accuracy)
              .setTrainRatio(1 - spec.data().validationFraction())
              .setSeed(seed);
      TrainValidationSplitModel model = tvs.fit(train);
      double[] metrics = model.validationMetrics();
      int best = 0;
      for (int i = 1; i < metrics.length; i++) {
        best = metrics[i] > metrics[best] ? i : best;
      }
      double testAccuracy = accuracy.evaluate(model.bestModel().transform(test));
      List<String> tried = new ArrayList<>();
      for (int i = 0; i < grid.length; i++) {
        tried.add(
            String.format(
                Locale.ROOT,
                "%s/%s:%.4f",
                Arrays.toString(grid[i].apply(mlp.layers())),
                grid[i].apply(mlp.maxIter()),
                metrics[i]));
      }
      System.out.println("sparkml.version=" + spark.version());
      System.out.println("sparkml.trials=" + grid.length);
      System.out.println("sparkml.grid=" + String.join(" ", tried));
      System.out.printf(
          Locale.ROOT,
          "sparkml.best=%s validation_accuracy=%.4f%n",
          tried.get(best),
          metrics[best]);
      System.out.printf(Locale.ROOT, "sparkml.test_accuracy=%.4f%n", testAccuracy);
      System.out.printf(
          Locale.ROOT, "sparkml.wall_seconds=%.1f%n", (System.nanoTime() - start) / 1e9);
    } finally {
      spark.stop();
    }
  }

  /** Every row of a packed set (training and validation marks alike) as (label, features). */
  static Dataset<Row> frame(SparkSession spark, PackedShard set, int limit) {
    int width = set.width();
    int rows = set.labels().length;
    int n = limit > 0 ? Math.min(limit, rows) : rows;
    List<Row> out = new ArrayList<>(n);
    float[] f = set.features();
    for (int r = 0; r < n; r++) {
      double[] x = new double[width];
      for (int j = 0; j < width; j++) {
        x[j] = f[r * width + j];
      }
      out.add(RowFactory.create((double) set.labels()[r], Vectors.dense(x)));
    }
    StructType schema =
        new StructType()
            .add("label", DataTypes.DoubleType, false)
            .add("features", SQLDataTypes.VectorType(), false);
    // Two partitions: one per core of local[2], so each L-BFGS pass keeps both busy.
    return spark.createDataFrame(out, schema).repartition(2);
  }
}
