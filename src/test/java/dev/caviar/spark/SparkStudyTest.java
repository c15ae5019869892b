package dev.caviar.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.caviar.config.DataSpec;
import dev.caviar.config.ExecutionSpec;
import dev.caviar.config.ExecutionSpec.Layout;
import dev.caviar.data.Datasets;
import dev.caviar.data.LoadedData;
import dev.caviar.data.PackedShard;
import dev.caviar.report.BestFile;
import dev.caviar.report.ResultTables;
import dev.caviar.report.RoundFiles;
import dev.caviar.report.StudyDirectory;
import dev.caviar.report.StudyReport;
import dev.caviar.space.Domain;
import dev.caviar.space.Parameter;
import dev.caviar.space.SearchSpace;
import dev.caviar.spark.SparkStudy.Listener;
import dev.caviar.study.CrossFitEstimate;
import dev.caviar.study.ReplicateScore;
import dev.caviar.study.RoundPlan;
import dev.caviar.study.RoundRecord;
import dev.caviar.study.RoundSpec;
import dev.caviar.study.Study;
import dev.caviar.study.StudySettings;
import dev.caviar.study.Trial;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("spark")
class SparkStudyTest {

  @TempDir Path tmp;

  static DataSpec synthetic() {
    return FinalModelTest.synthetic(1500, 8);
  }

  static SearchSpace space() {
    return SearchSpace.of(
        new Parameter("learningRate", new Domain.Log(1e-3, 3e-1)),
        new Parameter("units", new Domain.IntLog(8, 64)),
        new Parameter("beta2", new Domain.OneMinusLog(0.9, 0.9999)));
  }

  static SparkStudy.Setup setup(String out, Layout layout, int replicas) {
    StudySettings settings =
        StudySettings.of(
            "test", 42, List.of(new RoundSpec(6, 1), new RoundSpec(4, 2), new RoundSpec(3, 2)));
    return new SparkStudy.Setup(
        settings,
        space(),
        Map.of("layers", 1, "batchSize", 64),
        synthetic(),
        new ExecutionSpec(layout, 2, replicas, 64),
        out,
        "study { name = test }\n");
  }

  /** {@code base} with other study settings, writing to {@code out}. */
  static SparkStudy.Setup withSettings(SparkStudy.Setup base, StudySettings settings, String out) {
    return new SparkStudy.Setup(
        settings,
        base.space(),
        base.model(),
        base.data(),
        base.execution(),
        out,
        base.resolvedConfig());
  }

  /** {@link #setup} with one replicate per trial and another schedule. */
  static SparkStudy.Setup withRounds(String out, Layout layout, RoundSpec... rounds) {
    SparkStudy.Setup base = setup(out, layout, 1);
    return withSettings(base, base.settings().withRounds(List.of(rounds)), out);
  }

  /** Scores without their timing, which is the one thing allowed to differ between runs. */
  static List<String> scoresOf(List<ReplicateScore> scores) {
    List<String> out = new ArrayList<>();
    for (ReplicateScore s : scores) {
      out.add(
          s.round()
              + "/"
              + s.trial()
              + "/"
              + s.shard()
              + "/"
              + s.seed()
              + "/"
              + s.status()
              + "/"
              + s.validationAccuracy()
              + "/"
              + s.validationLoss()
              + "/"
              + s.curve());
    }
    return out;
  }

  @Test
  void aRerunGivesTheSameScoresAsTheDriverComputingThemAlone() {
    SparkSession spark = SharedSpark.session();
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    LoadedData data = Datasets.load(spark, synthetic(), 42, 2);
    Study study = Study.create(StudySettings.of("t", 42, List.of(new RoundSpec(6, 1))), space());
    List<Trial> trials = study.ask();
    RoundPlan plan = study.plan();
    Map<String, Object> fixed = Map.of("layers", 1, "batchSize", 64);

    java.util.function.Supplier<SparkRunner> runner =
        () ->
            new SparkRunner(
                sc,
                Layout.SHARDED,
                data.shards(),
                null,
                data.width(),
                2,
                fixed,
                10,
                SparkRunner.Progress.NONE,
                dev.caviar.study.Stopping.NONE,
                dev.caviar.study.Objective.ACCURACY,
                dev.caviar.study.Carried.RESTART);
    List<ReplicateScore> plain = runner.get().run(plan, trials);
    assertEquals(12, plain.size());
    for (ReplicateScore s : plain) {
      assertEquals(dev.caviar.study.Status.OK, s.status(), s.reason());
    }

    // A second run schedules the tasks anew: the same scores. A task lost with its executor (killed
    // with SIGKILL) and rerun is StandaloneClusterIT's case, on a real cluster.
    assertEquals(scoresOf(plain), scoresOf(runner.get().run(plan, trials)));

    // The same pairs trained one after another on the driver, with no Spark scheduling at all.
    List<PackedShard> shards = new ArrayList<>(data.shards().collect());
    TrialTraining training = new TrialTraining(fixed, 10);
    List<ReplicateScore> serial = new ArrayList<>();
    for (ReplicateScore s : plain) {
      PackedShard shard = shards.stream().filter(p -> p.index() == s.shard()).findFirst().get();
      Trial t = trials.stream().filter(x -> x.number() == s.trial()).findFirst().get();
      serial.addAll(
          training.trainAll(
              List.of(new WorkPlan.Pair(trials.indexOf(t), 0)), trials, shard, shard.index()));
    }
    assertEquals(scoresOf(plain), scoresOf(serial));
  }

  @Test
  void aKilledStudyResumedEndsAsAnUninterruptedOne() throws Exception {
    SparkSession spark = SharedSpark.session();
    String whole = tmp.resolve("whole").toString();
    String killed = tmp.resolve("killed").toString();

    SparkStudy.Outcome a =
        SparkStudy.run(spark, setup(whole, Layout.SHARDED, 2), false, SparkStudy.Listener.NONE);

    SparkStudy.Listener killAfterFirstRound =
        new SparkStudy.Listener() {
          @Override
          public void roundFinished(RoundRecord round, long nanos, String path) {
            throw new IllegalStateException("killed");
          }
        };
    assertThrows(
        IllegalStateException.class,
        () -> SparkStudy.run(spark, setup(killed, Layout.SHARDED, 2), false, killAfterFirstRound));
    StudyDirectory k = StudyDirectory.at(killed, new Configuration());
    assertEquals(List.of(0), k.completeRounds());
    assertFalse(k.exists("best.json"));
    // A round left half-written by the crash must not count.
    k.beginRound(1).writeText("trials.csv", "half");

    IllegalArgumentException fresh =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                SparkStudy.run(
                    spark, setup(killed, Layout.SHARDED, 2), false, SparkStudy.Listener.NONE));
    assertTrue(fresh.getMessage().contains("--resume"), fresh.getMessage());

    SparkStudy.Outcome b =
        SparkStudy.run(spark, setup(killed, Layout.SHARDED, 2), true, SparkStudy.Listener.NONE);
    StudyDirectory w = StudyDirectory.at(whole, new Configuration());
    for (int r = 0; r < 3; r++) {
      String f = w.roundPath(r) + "/replicates.jsonl";
      assertEquals(
          scoresOf(ResultTables.readReplicates(w.readText(f), f)),
          scoresOf(ResultTables.readReplicates(k.readText(f), f)));
      assertEquals(
          w.readText(w.roundPath(r) + "/trials.csv"), k.readText(k.roundPath(r) + "/trials.csv"));
    }
    assertEquals(a.best().winner().trial(), b.best().winner().trial());
    assertEquals(a.testAccuracy(), b.testAccuracy());
    assertTrue(Files.isDirectory(tmp.resolve("killed/model")));
    assertTrue(Files.isDirectory(tmp.resolve("killed/rounds/round-002/trials.parquet")));
    // Round 2: 4 trials x 2 replicas.
    assertEquals(8, spark.read().parquet(killed + "/rounds/round-001/replicates.parquet").count());

    // The winner's score corrected for selection comes from the halves the rounds keep: a resumed
    // study states the same one.
    BestFile.Expected expected = BestFile.readIfPresent(w).expected();
    assertTrue(expected.available(), expected.method());
    assertEquals(expected, BestFile.readIfPresent(k).expected());
    assertEquals(CrossFitEstimate.of(a.study()), CrossFitEstimate.of(b.study()));

    // A study written before the halves were: its replicates tables lack the four columns. Killed
    // before best.json, it resumes to the same final model, the estimate not available, saying so.
    for (int r = 0; r < 3; r++) {
      String f = RoundFiles.path(k, r, RoundFiles.REPLICATES_JSON);
      k.writeText(f, withoutHalves(k.readText(f)));
    }
    Files.delete(Path.of(killed, "best.json"));
    LastRoundFinalTest.deleteTree(Path.of(killed, "model"));
    SparkStudy.Outcome c =
        SparkStudy.run(spark, setup(killed, Layout.SHARDED, 2), true, SparkStudy.Listener.NONE);
    assertEquals(a.best().winner().trial(), c.best().winner().trial());
    assertEquals(a.testAccuracy(), c.testAccuracy());
    BestFile.Expected none = BestFile.readIfPresent(k).expected();
    assertFalse(none.available());
    assertEquals(expected.validation(), none.validation());
    assertEquals(expected.test(), none.test());
    assertTrue(none.method().startsWith("not available"), none.method());
    assertTrue(
        StudyReport.html(k).contains("<th>corrected for selection</th><td>" + none.method()),
        "the report says the estimate is not available");
  }

  private static String withoutHalves(String jsonl) throws java.io.IOException {
    com.fasterxml.jackson.databind.ObjectMapper json =
        new com.fasterxml.jackson.databind.ObjectMapper();
    StringBuilder old = new StringBuilder();
    for (String line : jsonl.split("\n")) {
      var o = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(line);
      assertTrue(o.has("validationAccuracyA"), line);
      o.remove(
          List.of(
              "validationAccuracyA", "validationAccuracyB", "validationLossA", "validationLossB"));
      old.append(json.writeValueAsString(o)).append('\n');
    }
    return old.toString();
  }

  @Test
  void aFinishedStudyResumedFromACopySaysSoAndTrainsNothing() throws Exception {
    SparkSession spark = SharedSpark.session();
    Path original = tmp.resolve("original");
    SparkStudy.Outcome a =
        SparkStudy.run(
            spark, named(setup(original.toString(), Layout.BROADCAST, 1)), false, Listener.NONE);
    Path copy = tmp.resolve("copy");
    try (java.util.stream.Stream<Path> files = Files.walk(original)) {
      for (Path f : files.toList()) {
        Files.copy(
            f,
            copy.resolve(original.relativize(f).toString()),
            java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
      }
    }
    Map<Path, Long> before = modified(copy);
    List<String> heard = new ArrayList<>();
    Listener listener =
        new Listener() {
          @Override
          public void alreadyFinished(String directory) {
            heard.add(directory);
          }

          @Override
          public void roundStarted(RoundPlan plan, List<Trial> trials) {
            throw new AssertionError("a finished study trained round " + plan.round());
          }
        };

    SparkStudy.Outcome b =
        SparkStudy.run(
            spark, named(setup(copy.toUri().toString(), Layout.BROADCAST, 1)), true, listener);

    assertEquals(1, heard.size(), "the listener heard that the study had finished");
    assertEquals(before, modified(copy), "no file written, deleted or touched");
    assertEquals(a.best().winner().trial(), b.best().winner().trial());
    assertEquals(a.testAccuracy(), b.testAccuracy());
    assertEquals(a.finalSpec(), b.finalSpec());
  }

  /** The setup with the output path in its resolved configuration, as the config reader has it. */
  private static SparkStudy.Setup named(SparkStudy.Setup s) {
    return new SparkStudy.Setup(
        s.settings(),
        s.space(),
        s.model(),
        s.data(),
        s.execution(),
        s.outputDir(),
        s.resolvedConfig() + "output { dir = \"" + s.outputDir() + "\" }\n");
  }

  private static Map<Path, Long> modified(Path dir) throws java.io.IOException {
    Map<Path, Long> m = new java.util.TreeMap<>();
    try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.toList()) {
        m.put(dir.relativize(f), Files.getLastModifiedTime(f).toMillis());
      }
    }
    return m;
  }

  @Test
  void aWarmStartSamplesTheEarlierStudysFinalRegion() {
    SparkSession spark = SharedSpark.session();
    String first = tmp.resolve("first").toString();
    SparkStudy.Outcome a =
        SparkStudy.run(spark, setup(first, Layout.BROADCAST, 1), false, SparkStudy.Listener.NONE);
    dev.caviar.space.Region last = a.study().history().get(2).region();
    dev.caviar.space.Region read =
        SparkStudy.finalRegion(StudyDirectory.at(first, new Configuration()));
    assertEquals(last, read);
    assertTrue(
        !read.equals(space().initialRegion()), "the earlier study narrowed: " + read.domains());

    SparkStudy.Setup cold = setup(tmp.resolve("second").toString(), Layout.BROADCAST, 1);
    SparkStudy.Setup warm =
        new SparkStudy.Setup(
            cold.settings(),
            cold.space(),
            cold.model(),
            cold.data(),
            cold.execution(),
            cold.outputDir(),
            cold.resolvedConfig(),
            read);
    SparkStudy.Outcome b = SparkStudy.run(spark, warm, false, SparkStudy.Listener.NONE);
    RoundRecord firstRound = b.study().history().get(0);
    assertEquals(read, firstRound.region());
    for (Trial t : firstRound.trials()) {
      for (Map.Entry<String, Object> e : t.params().entrySet()) {
        assertTrue(
            read.domain(e.getKey()).contains(e.getValue()),
            e.getKey() + " = " + e.getValue() + " outside " + read.domain(e.getKey()).describe());
      }
    }
  }

  @Test
  void broadcastLayoutRunsAndTheModelScoresADataFrame() {
    SparkSession spark = SharedSpark.session();
    String out = tmp.resolve("bc").toString();
    SparkStudy.Outcome o =
        SparkStudy.run(spark, setup(out, Layout.BROADCAST, 1), false, SparkStudy.Listener.NONE);
    assertTrue(o.testAccuracy() > 1.0 / 3 + 0.1, "test accuracy " + o.testAccuracy());
    TunedModel loaded = TunedModel.load(o.modelPath());
    assertEquals(8, loaded.numFeatures());
    assertEquals(3, loaded.numClasses());
    List<org.apache.spark.sql.Row> rows = new ArrayList<>();
    java.util.SplittableRandom rng = new java.util.SplittableRandom(3);
    for (int i = 0; i < 20; i++) {
      rows.add(
          org.apache.spark.sql.RowFactory.create(
              org.apache.spark.ml.linalg.Vectors.dense(rng.doubles(8, -2, 2).toArray())));
    }
    org.apache.spark.sql.types.StructType schema =
        new org.apache.spark.sql.types.StructType()
            .add("features", org.apache.spark.ml.linalg.SQLDataTypes.VectorType());
    List<org.apache.spark.sql.Row> scored =
        loaded.transform(spark.createDataFrame(rows, schema)).collectAsList();
    assertEquals(20, scored.size());
    for (org.apache.spark.sql.Row r : scored) {
      org.apache.spark.ml.linalg.Vector p = r.getAs("probability");
      double sum = 0;
      for (int c = 0; c < 3; c++) {
        sum += p.apply(c);
      }
      assertEquals(1.0, sum, 1e-5);
      assertEquals((double) p.argmax(), r.<Double>getAs("prediction"));
    }
  }
}
