package dev.caviar.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.caviar.report.BestFile;
import dev.caviar.spark.CaviarTuner;
import dev.caviar.spark.SharedSpark;
import dev.caviar.spark.TunedModel;
import dev.caviar.spark.TunerData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code CaviarTuner.fit} on a DataFrame and {@code caviar tune} on the same rows written to a
 * Parquet file are one study: the same trials and scores in every round, the same best
 * configuration, ties and test score, for the same seed.
 */
@Tag("spark")
class TunerMatchesCliTest {
  @TempDir Path tmp;

  @Test
  void theCommandLineRefusesTheDataFrameSourceBeforeSparkStarts() throws Exception {
    Path conf = tmp.resolve("study.conf");
    Files.writeString(conf, TunerData.STUDY + "\ndata.source = dataframe\n");
    CaviarCliTest.Run run = CaviarCliTest.caviar("tune", "--conf", conf.toString());
    assertEquals(Caviar.BAD_INPUT, run.exit());
    assertEquals(
        "caviar: error: "
            + conf
            + ": data.source: dataframe is the DataFrame given to CaviarTuner.fit (Java, Spark ML);"
            + " a study of files sets it to synthetic, idx, csv, libsvm or parquet\n",
        run.err());
  }

  @Test
  void theEstimatorAndTheCommandLineRunTheSameStudyOnTheSameRows() throws Exception {
    SparkSession spark = SharedSpark.session();
    Dataset<Row> rows =
        new VectorAssembler()
            .setInputCols(new String[] {"a", "b", "c", "d"})
            .setOutputCol("features")
            .transform(TunerData.raw(spark, 300, 5))
            .select("features", "label");
    Path file = tmp.resolve("rows.parquet");
    rows.write().parquet(file.toString());
    Path conf = tmp.resolve("study.conf");
    Files.writeString(
        conf,
        TunerData.STUDY
            + "\ndata { source = parquet, path = \""
            + file
            + "\", featuresColumn = features }\n");
    Path cliDir = tmp.resolve("cli");
    CaviarCliTest.Run run =
        CaviarCliTest.caviar("tune", "--conf", conf.toString(), "--out", cliDir.toString());
    assertEquals(0, run.exit(), run.err());

    // No outputDir: the study's tables go to a temporary directory that fit deletes; the model's
    // summary keeps the trials.
    String hadoopTmp = spark.sparkContext().hadoopConfiguration().get("hadoop.tmp.dir");
    TunedModel model = new CaviarTuner().setStudy(TunerData.STUDY).fit(rows);
    try (Stream<Path> s = Files.list(Path.of(hadoopTmp))) {
      assertEquals(List.of(), s.filter(p -> p.toString().contains(model.parent().uid())).toList());
    } catch (java.nio.file.NoSuchFileException e) {
      // hadoop.tmp.dir was never made: nothing left behind either.
    }

    List<Row> cliTrials =
        spark
            .read()
            .parquet(cliDir.resolve("rounds/round-*/trials.parquet").toString())
            .orderBy("round", "trial")
            .collectAsList();
    List<Row> tunerTrials = model.summary().trials().orderBy("round", "trial").collectAsList();
    assertEquals(6, cliTrials.size());
    assertEquals(cliTrials, tunerTrials);
    BestFile.Record cli =
        BestFile.read(Files.readString(cliDir.resolve("best.json")), "cli best.json");
    BestFile.Record tuner = model.summary().best();
    assertEquals(cli.configuration(), tuner.configuration());
    assertEquals(cli.best(), tuner.best());
    assertEquals(cli.ties(), tuner.ties());
    assertEquals(cli.fin().testAccuracy(), tuner.fin().testAccuracy());
    assertEquals(cli.fin().testLoss(), tuner.fin().testLoss());
    assertFalse(cli.configuration().isEmpty());
  }
}
