package dev.caviar.job;

import static org.apache.spark.sql.functions.desc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.caviar.spark.CaviarTuner;
import dev.caviar.spark.SharedSpark;
import dev.caviar.spark.TunedModel;
import dev.caviar.spark.TunerData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's "From Java (pipelines)" example is this test's code: the test runs it and checks
 * that the README shows it verbatim.
 */
@Tag("spark")
class ReadmePipelineTest {
  @TempDir Path tmp;

  @Test
  void theReadmeExampleRunsAndIsTheReadmes() throws Exception {
    SparkSession spark = SharedSpark.session();
    Dataset<Row>[] split = TunerData.raw(spark, 300, 11).randomSplit(new double[] {0.8, 0.2}, 1);
    Dataset<Row> train = split[0];
    Dataset<Row> test = split[1];
    String studyDir = tmp.resolve("study").toString();
    String modelDir = tmp.resolve("pipeline").toString();

    // README: begin
    String study =
        """
        study { name = pipeline, seed = 7, rounds = [{ trials = 4, epochs = 2 }, { trials = 2, epochs = 3 }] }
        model { layers = 1, units = 8, batchSize = 16 }
        space { learningRate { scale = log, low = 1e-3, high = 1e-1 } }
        execution { layout = broadcast, shards = 2 }
        """;
    Pipeline pipeline =
        new Pipeline()
            .setStages(
                new PipelineStage[] {
                  new VectorAssembler()
                      .setInputCols(new String[] {"a", "b", "c", "d"})
                      .setOutputCol("raw"),
                  new StandardScaler().setInputCol("raw").setOutputCol("features"),
                  new CaviarTuner().setStudy(study).setOutputDir(studyDir) // labelCol "label"
                });
    PipelineModel fitted = pipeline.fit(train);
    fitted.write().overwrite().save(modelDir);

    PipelineModel loaded = PipelineModel.load(modelDir);
    Dataset<Row> scored = loaded.transform(test); // + rawPrediction, probability, prediction
    double accuracy =
        new MulticlassClassificationEvaluator().setMetricName("accuracy").evaluate(scored);
    TunedModel tuned = (TunedModel) loaded.stages()[2];
    tuned.summary().trials().orderBy(desc("mean")).show(3); // every round's trials
    System.out.println(tuned.summary().bestConfiguration() + ", test accuracy " + accuracy);
    // README: end

    assertTrue(accuracy > 0.8, "accuracy " + accuracy);
    assertEquals(6, tuned.summary().trials().count());
    assertTrue(Files.exists(Path.of(studyDir, "report.html")), "the study writes its report");
    assertTrue(readme().contains(example()), "README.md shows the example as this test runs it");
  }

  /** The lines between the markers, unindented as the README shows them. */
  private static String example() throws Exception {
    String source =
        Files.readString(Path.of("src/test/java/dev/caviar/job/ReadmePipelineTest.java"));
    String body =
        source.substring(
            source.indexOf("// README: begin\n") + "// README: begin\n".length(),
            source.indexOf("    // README: end"));
    return Arrays.stream(body.split("\n", -1))
        .map(l -> l.length() >= 4 ? l.substring(4) : l.strip())
        .collect(Collectors.joining("\n"));
  }

  private static String readme() throws Exception {
    return Files.readString(Path.of("README.md"));
  }
}
