package dev.caviar.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The model as a Spark ML classification model: a model saved in the first layout ({@code
 * caviar-tuned-model-1}, a checked-in fixture) still loads and predicts what it predicted then,
 * saves again in Spark ML's layout, and its schema checks name the column.
 */
@Tag("spark")
class TunedModelTest {
  static final Path LEGACY = Path.of("src/test/resources/models/legacy-ensemble");

  /** What the first layout's code printed for the fixture's two inputs (2026-11-29). */
  static final double[][] INPUTS = {{1, 0, -1}, {-2, 0.5, 3}};

  static final double[][] LEGACY_PROBABILITIES = {
    {0.5090542733669281, 0.4909457415342331}, {0.42691670358181, 0.5730832815170288}
  };

  @TempDir Path tmp;

  private static Dataset<Row> vectors(SparkSession spark) {
    StructType schema =
        new StructType()
            .add("id", DataTypes.IntegerType)
            .add("features", SQLDataTypes.VectorType());
    return spark.createDataFrame(
        List.of(
            RowFactory.create(0, Vectors.dense(INPUTS[0])),
            RowFactory.create(1, Vectors.dense(INPUTS[1]))),
        schema);
  }

  @Test
  void aModelOfTheFirstLayoutLoadsPredictsAsThenAndResavesInSparkMlsLayout() throws Exception {
    SparkSession spark = SharedSpark.session();
    TunedModel legacy = TunedModel.load(LEGACY.toString());
    assertEquals(2, legacy.members().size());
    assertFalse(legacy.hasSummary());
    assertThrows(IllegalStateException.class, legacy::summary);
    // Float networks: another BLAS (native or Java) may round the last float bits differently.
    for (int i = 0; i < INPUTS.length; i++) {
      assertArrayEquals(
          LEGACY_PROBABILITIES[i], legacy.predictProbabilities(Vectors.dense(INPUTS[i])), 1e-6);
    }
    List<Row> scored =
        legacy
            .transform(vectors(spark))
            .orderBy("id")
            .select("probability", "prediction")
            .collectAsList();
    for (int i = 0; i < INPUTS.length; i++) {
      assertArrayEquals(LEGACY_PROBABILITIES[i], ((Vector) scored.get(i).get(0)).toArray(), 1e-7);
    }
    assertEquals(0.0, scored.get(0).getDouble(1));
    assertEquals(1.0, scored.get(1).getDouble(1));

    String path = tmp.resolve("resaved").toString();
    legacy.write().save(path);
    assertTrue(Files.isDirectory(Path.of(path, "metadata")));
    assertTrue(Files.isDirectory(Path.of(path, "data")));
    TunedModel back = TunedModel.load(path);
    assertEquals(legacy.uid(), back.uid());
    for (int i = 0; i < INPUTS.length; i++) {
      Vector v = Vectors.dense(INPUTS[i]);
      assertArrayEquals(legacy.predictProbabilities(v), back.predictProbabilities(v), 0.0);
    }
    for (int m = 0; m < 2; m++) {
      assertEquals(legacy.members().get(m).spec(), back.members().get(m).spec());
    }
  }

  @Test
  void paramsThresholdsAndOutputColumnsAreSparkMls() {
    SparkSession spark = SharedSpark.session();
    TunedModel model =
        TunedModel.load(LEGACY.toString())
            .setFeaturesCol("x")
            .setPredictionCol("p")
            .setProbabilityCol("")
            .setRawPredictionCol("raw");
    Dataset<Row> input = vectors(spark).withColumnRenamed("features", "x");
    // A threshold that favours class 0 turns the second row's prediction.
    model.setThresholds(new double[] {0.1, 1});
    List<Row> rows = model.transform(input).orderBy("id").collectAsList();
    assertEquals(List.of("id", "x", "raw", "p"), List.of(rows.get(0).schema().fieldNames()));
    assertEquals(0.0, rows.get(1).getDouble(3));
    TunedModel copy = model.copy(new org.apache.spark.ml.param.ParamMap());
    assertEquals("x", copy.getFeaturesCol());
    assertArrayEquals(new double[] {0.1, 1}, copy.getThresholds());
    assertTrue(model.explainParams().contains("thresholds"));
  }

  @Test
  void schemaChecksNameTheColumn() {
    TunedModel model = TunedModel.load(LEGACY.toString());
    StructType noFeatures = new StructType().add("f", SQLDataTypes.VectorType());
    assertEquals(
        "featuresCol: column 'features' does not exist; the columns are [f]",
        assertThrows(IllegalArgumentException.class, () -> model.transformSchema(noFeatures))
            .getMessage());
    StructType text = new StructType().add("features", DataTypes.StringType);
    assertEquals(
        "featuresCol: column 'features' must be a vector, got string",
        assertThrows(IllegalArgumentException.class, () -> model.transformSchema(text))
            .getMessage());
    StructType taken =
        new StructType()
            .add("features", SQLDataTypes.VectorType())
            .add("prediction", DataTypes.DoubleType);
    assertEquals(
        "predictionCol: column 'prediction' already exists; set predictionCol to a new name",
        assertThrows(IllegalArgumentException.class, () -> model.transformSchema(taken))
            .getMessage());
    assertEquals(
        "featuresCol 'features': vectors must have 3 features, got 2",
        assertThrows(
                IllegalArgumentException.class,
                () -> model.predictProbabilities(Vectors.dense(1, 2)))
            .getMessage());
  }
}
