package dev.caviar.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input through the Estimator fails in {@code transformSchema} or at the start of {@code fit}
 * with one line naming the param, column or key, before any training: the output directory gets no
 * round.
 */
@Tag("spark")
class CaviarTunerBadInputTest {
  @TempDir Path tmp;
  private SparkSession spark;
  private Dataset<Row> good;

  @BeforeEach
  void data() {
    spark = SharedSpark.session();
    good =
        new VectorAssembler()
            .setInputCols(new String[] {"a", "b", "c", "d"})
            .setOutputCol("features")
            .transform(TunerData.raw(spark, 60, 3))
            .select("features", "label");
  }

  private CaviarTuner tuner() {
    return new CaviarTuner().setStudy(TunerData.STUDY).setOutputDir(tmp.resolve("out").toString());
  }

  /**
   * Fails {@code fit}, and {@code transformSchema} too when {@code inSchema}; returns the message.
   */
  private String fails(CaviarTuner tuner, Dataset<Row> df, boolean inSchema) {
    if (inSchema) {
      assertThrows(IllegalArgumentException.class, () -> tuner.transformSchema(df.schema()));
    }
    RuntimeException e = assertThrows(RuntimeException.class, () -> tuner.fit(df));
    String message = e.getMessage();
    assertFalse(message.contains("\n"), "one line: " + message);
    assertFalse(Files.exists(tmp.resolve("out/rounds")), "no training before the check");
    return message;
  }

  @Test
  void missingOrMistypedColumnsNameTheParamAndColumn() {
    assertEquals(
        "featuresCol: column 'x' does not exist; the columns are [features, label]",
        fails(tuner().setFeaturesCol("x"), good, true));
    assertEquals(
        "labelCol: column 'y' does not exist; the columns are [features, label]",
        fails(tuner().setLabelCol("y"), good, true));
    assertEquals(
        "featuresCol: column 'label' must be a vector (e.g. from VectorAssembler), got int",
        fails(tuner().setFeaturesCol("label"), good, true));
    assertEquals(
        "labelCol: column 'label' must be numeric (the classes 0..C-1), got string",
        fails(tuner(), good.withColumn("label", col("label").cast("string")), true));
    assertEquals(
        "probabilityCol: column 'label' already exists; set probabilityCol to a new name",
        fails(tuner().setProbabilityCol("label"), good, true));
  }

  @Test
  void paramsExplainThemselvesAndCopy() {
    CaviarTuner tuner = tuner().setSeed(11).setLabelCol("y");
    String explained = tuner.explainParams();
    for (String param :
        List.of(
            "featuresCol",
            "labelCol",
            "predictionCol",
            "probabilityCol",
            "rawPredictionCol",
            "seed",
            "study",
            "studyFile",
            "outputDir",
            "validationFraction")) {
      assertTrue(explained.contains(param + ": "), param + " in " + explained);
    }
    CaviarTuner copy = tuner.copy(new ParamMap().put(tuner.seed(), 12L));
    assertEquals(tuner.uid(), copy.uid());
    assertEquals(12L, copy.getOrDefault(copy.seed()));
    assertEquals("y", copy.getOrDefault(copy.labelCol()));
    assertEquals(11L, tuner.studySpec().study().seed());
    assertEquals(12L, copy.studySpec().study().seed());
  }

  @Test
  void anInvalidStudyNamesTheKey() {
    assertEquals(
        "study: 6: study.roundz: unknown key, did you mean 'rounds'? (got 3)",
        fails(tuner().setStudy(TunerData.STUDY + "\nstudy.roundz = 3"), good, true));
    String rule = fails(tuner().setStudy(TunerData.STUDY).setValidationFraction(1.5), good, true);
    assertTrue(rule.contains("data.validationFraction: must be in (0, 1), got 1.5"), rule);
    String file = fails(tuner().setStudy(TunerData.STUDY + "\ndata.source = csv"), good, true);
    assertTrue(file.contains("data.path: is required when data.source = csv"), file);
    assertEquals(
        "study: set the study as HOCON text (setStudy) or a file (setStudyFile)",
        fails(new CaviarTuner(), good, true));
  }

  @Test
  void badRowsNameTheColumnBeforeAnyTraining() {
    Dataset<Row> nan =
        good.withColumn(
            "features", when(col("label").equalTo(2), lit(null)).otherwise(col("features")));
    assertTrue(
        fails(tuner(), nan, false).endsWith("column 'features': must hold a vector, got null"));
    Dataset<Row> outside =
        good.withColumn("label", when(col("label").equalTo(2), lit(5)).otherwise(col("label")));
    String gap = fails(tuner(), outside, false);
    assertTrue(
        gap.contains(
            "column 'label': label must be a class 0..C-1 with every class present, got 5; classes 2..4 have no rows"),
        gap);
    Dataset<Row> negative =
        good.withColumn("label", when(col("label").equalTo(2), lit(-1)).otherwise(col("label")));
    String minus = fails(tuner(), negative, false);
    assertTrue(
        minus.endsWith("column 'label': label must be an integer class 0..C-1, got -1"), minus);
    assertEquals(
        "DataFrame: no rows (featuresCol 'features')", fails(tuner(), good.limit(0), false));
  }

  @Test
  void aNanFeatureNamesTheRowAndColumn() {
    Dataset<Row> raw =
        TunerData.raw(spark, 60, 3)
            .withColumn("b", when(col("label").equalTo(1), lit(Double.NaN)).otherwise(col("b")));
    Dataset<Row> nan =
        new VectorAssembler()
            .setInputCols(new String[] {"a", "b", "c", "d"})
            .setOutputCol("features")
            .setHandleInvalid("keep")
            .transform(raw);
    String message = fails(tuner(), nan, false);
    assertTrue(message.startsWith("DataFrame row (label 1, features ["), message);
    assertTrue(
        message.endsWith("column 'features' value 1: must be a finite number, got NaN"), message);
  }
}
