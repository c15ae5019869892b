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

    Path tunerDir = tmp.resolve("tuner");
    TunedModel model =
        new CaviarTuner().setStudy(TunerData.STUDY).setOutputDir(tunerDir.toString()).fit(rows);

    List<Path> rounds;
    try (Stream<Path> s = Files.list(cliDir.resolve("rounds"))) {
      rounds = s.map(Path::getFileName).sorted().toList();
    }
    assertEquals(2, rounds.size());
    for (Path round : rounds) {
      assertEquals(
          Files.readString(cliDir.resolve("rounds").resolve(round).resolve("trials.csv")),
          Files.readString(tunerDir.resolve("rounds").resolve(round).resolve("trials.csv")),
          round.toString());
    }
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
