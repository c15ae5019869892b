package dev.caviar.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.tuning.ParamGridBuilder;
import org.apache.spark.ml.tuning.TrainValidationSplit;
import org.apache.spark.ml.tuning.TrainValidationSplitModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.streaming.runtime.MemoryStream;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Spark ML face end to end: {@code Pipeline(VectorAssembler, StandardScaler, CaviarTuner)}
 * fits, scores, saves and loads with identical predictions, is scored by Spark's evaluator and
 * scores a stream; a pipeline saved by an earlier run (a checked-in fixture) loads and predicts
 * what it predicted then.
 */
@Tag("spark")
class CaviarTunerTest {
  /** The checked-in pipeline; {@code -Dcaviar.fixture.update=true} rewrites it. */
  static final Path FIXTURE = Path.of("src/test/resources/models/pipeline");

  @TempDir Path tmp;

  static Pipeline pipeline(String studyOutput) {
    CaviarTuner tuner = new CaviarTuner().setStudy(TunerData.STUDY);
    if (studyOutput != null) {
      tuner.setOutputDir(studyOutput);
    }
    return new Pipeline()
        .setStages(
            new PipelineStage[] {
              new VectorAssembler()
                  .setInputCols(new String[] {"a", "b", "c", "d"})
                  .setOutputCol("raw"),
              new StandardScaler().setInputCol("raw").setOutputCol("features"),
              tuner
            });
  }

  @Test
  void aPipelineFitsScoresSavesAndLoadsWithIdenticalPredictions() throws IOException {
    SparkSession spark = SharedSpark.session();
    Dataset<Row> data = TunerData.raw(spark, 300, 1);
    Path studyDir = tmp.resolve("study");
    Pipeline pipeline = pipeline(studyDir.toString());
    PipelineModel fitted = pipeline.fit(data);

    TunedModel model = (TunedModel) fitted.stages()[2];
    assertSame(pipeline.getStages()[2], model.parent());
    assertEquals(3, model.numClasses());
    assertEquals(4, model.numFeatures());
    assertTrue(Files.exists(studyDir.resolve("best.json")), "outputDir holds the study");
    StudySummary summary = model.summary();
    assertEquals(6, summary.trials().count(), "4 + 2 trials");
    com.fasterxml.jackson.databind.ObjectMapper json =
        new com.fasterxml.jackson.databind.ObjectMapper();
    assertEquals(
        json.readTree(Files.readString(studyDir.resolve("best.json"))),
        json.readTree(summary.bestJson()));
    assertFalse(summary.bestConfiguration().isEmpty());

    Dataset<Row> scored = fitted.transform(data);
    double accuracy =
        new MulticlassClassificationEvaluator().setMetricName("accuracy").evaluate(scored);
    assertTrue(accuracy > 0.8, "three well separated blobs, got accuracy " + accuracy);
    assertEquals(summary.testAccuracy(), summary.best().fin().testAccuracy());

    Path saved = tmp.resolve("pipeline-model");
    fitted.write().save(saved.toString());
    assertTrue(Files.isDirectory(saved.resolve("stages/2_" + model.uid() + "/metadata")));
    assertTrue(Files.isDirectory(saved.resolve("stages/2_" + model.uid() + "/data")));
    PipelineModel loaded = PipelineModel.load(saved.toString());
    TunedModel back = (TunedModel) loaded.stages()[2];
    assertEquals(model.uid(), back.uid());
    assertEquals(json.readTree(summary.bestJson()), json.readTree(back.summary().bestJson()));
    assertEquals(summary.trials().collectAsList(), back.summary().trials().collectAsList());
    assertEquals(predictions(scored), predictions(loaded.transform(data)));

    // The unfitted pipeline (the tuner's params) saves and loads too.
    Path unfitted = tmp.resolve("pipeline");
    pipeline.write().save(unfitted.toString());
    CaviarTuner tunerBack = (CaviarTuner) Pipeline.load(unfitted.toString()).getStages()[2];
    assertEquals(TunerData.STUDY, tunerBack.getOrDefault(tunerBack.study()));
    assertEquals(studyDir.toString(), tunerBack.getOrDefault(tunerBack.outputDir()));

    if (Boolean.getBoolean("caviar.fixture.update")) {
      writeFixture(fitted, data);
    }
  }

  @Test
  void trainValidationSplitTunesWithItAndSavesAndLoadsItsModel() {
    SparkSession spark = SharedSpark.session();
    Dataset<Row> data =
        new VectorAssembler()
            .setInputCols(new String[] {"a", "b", "c", "d"})
            .setOutputCol("features")
            .transform(TunerData.raw(spark, 200, 4));
    CaviarTuner tuner = new CaviarTuner().setStudy(TunerData.STUDY);
    TrainValidationSplit split =
        new TrainValidationSplit()
            .setEstimator(tuner)
            .setEvaluator(new MulticlassClassificationEvaluator().setMetricName("accuracy"))
            .setEstimatorParamMaps(
                new ParamGridBuilder().addGrid(tuner.seed(), new long[] {7}).build())
            .setTrainRatio(0.75)
            .setSeed(1);
    TrainValidationSplitModel fitted = split.fit(data);
    assertTrue(fitted.validationMetrics()[0] > 0.8, "accuracy " + fitted.validationMetrics()[0]);
    Path saved = tmp.resolve("tvs");
    try {
      fitted.write().save(saved.toString());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    TrainValidationSplitModel loaded = TrainValidationSplitModel.load(saved.toString());
    assertTrue(loaded.bestModel() instanceof TunedModel);
    assertEquals(predictions(fitted.transform(data)), predictions(loaded.transform(data)));
  }

  /** Every row's probability vector and prediction, in row order. */
  static List<String> predictions(Dataset<Row> scored) {
    List<String> out = new ArrayList<>();
    for (Row r : scored.select("probability", "rawPrediction", "prediction").collectAsList()) {
      out.add(r.get(0) + " " + r.get(1) + " " + r.getDouble(2));
    }
    return out;
  }

  private static void writeFixture(PipelineModel fitted, Dataset<Row> data) throws IOException {
    deleteTree(FIXTURE);
    fitted.write().save(FIXTURE.resolve("model").toString());
    // Hadoop's checksums are not needed to read; without them the fixture is smaller to review.
    try (Stream<Path> files = Files.walk(FIXTURE)) {
      for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".crc")).toList()) {
        Files.delete(f);
      }
    }
    Dataset<Row> rows = data.limit(12);
    List<String> lines = new ArrayList<>();
    lines.add("a,b,c,d,probability,prediction");
    for (Row r :
        fitted
            .transform(rows)
            .select("a", "b", "c", "d", "probability", "prediction")
            .collectAsList()) {
      Vector p = (Vector) r.get(4);
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < 4; i++) {
        b.append(r.getDouble(i)).append(',');
      }
      for (int i = 0; i < p.size(); i++) {
        b.append(i == 0 ? "" : " ").append(p.apply(i));
      }
      lines.add(b.append(',').append(r.getDouble(5)).toString());
    }
    Files.write(FIXTURE.resolve("expected.csv"), lines);
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> files = Files.walk(root)) {
      for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(f);
      }
    }
  }

  @Test
  void aPipelineSavedByAnEarlierRunLoadsAndPredictsWhatItDidThen() throws IOException {
    SparkSession spark = SharedSpark.session();
    PipelineModel loaded = PipelineModel.load(FIXTURE.resolve("model").toString());
    TunedModel model = (TunedModel) loaded.stages()[2];
    assertTrue(model.hasSummary());
    List<String> lines = Files.readAllLines(FIXTURE.resolve("expected.csv"));
    List<Row> rows = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",");
      rows.add(
          org.apache.spark.sql.RowFactory.create(
              Double.parseDouble(f[0]),
              Double.parseDouble(f[1]),
              Double.parseDouble(f[2]),
              Double.parseDouble(f[3])));
    }
    Dataset<Row> input =
        spark.createDataFrame(
            rows,
            new org.apache.spark.sql.types.StructType()
                .add("a", "double")
                .add("b", "double")
                .add("c", "double")
                .add("d", "double"));
    List<Row> scored = loaded.transform(input).select("probability", "prediction").collectAsList();
    assertEquals(lines.size() - 1, scored.size());
    for (int i = 0; i < scored.size(); i++) {
      String[] f = lines.get(i + 1).split(",");
      double[] expected = Stream.of(f[4].split(" ")).mapToDouble(Double::parseDouble).toArray();
      // Another BLAS (native or Java) may round the last float bits differently.
      assertArrayEquals(expected, ((Vector) scored.get(i).get(0)).toArray(), 1e-6, "row " + i);
      assertEquals(Double.parseDouble(f[5]), scored.get(i).getDouble(1), "row " + i);
    }
  }

  @Test
  void theModelScoresAStreamAsItScoresABatch() throws Exception {
    SparkSession spark = SharedSpark.session();
    PipelineModel model = PipelineModel.load(FIXTURE.resolve("model").toString());
    Dataset<Row> batch = TunerData.raw(spark, 30, 9).drop("label");
    MemoryStream<Row> stream = MemoryStream.apply(Encoders.row(batch.schema()), spark);
    stream.addData(
        (scala.collection.IterableOnce<Row>)
            scala.jdk.javaapi.CollectionConverters.asScala(batch.collectAsList().iterator()));
    StreamingQuery query =
        model
            .transform(stream.toDF())
            .select("a", "probability", "prediction")
            .writeStream()
            .format("memory")
            .queryName("caviar_scored_stream")
            .outputMode("append")
            .start();
    try {
      query.processAllAvailable();
    } finally {
      query.stop();
    }
    List<String> streamed = new ArrayList<>();
    for (Row r : spark.sql("select * from caviar_scored_stream order by a").collectAsList()) {
      streamed.add(r.mkString(" "));
    }
    List<String> batched = new ArrayList<>();
    for (Row r :
        model
            .transform(batch)
            .select("a", "probability", "prediction")
            .orderBy("a")
            .collectAsList()) {
      batched.add(r.mkString(" "));
    }
    assertEquals(30, streamed.size());
    assertEquals(batched, streamed);
  }
}
