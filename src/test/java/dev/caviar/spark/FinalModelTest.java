package dev.caviar.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.caviar.config.DataSpec;
import dev.caviar.config.ExecutionSpec;
import dev.caviar.config.ExecutionSpec.Layout;
import dev.caviar.data.Datasets;
import dev.caviar.data.LoadedData;
import dev.caviar.data.PackedShard;
import dev.caviar.nn.DataView;
import dev.caviar.nn.Model;
import dev.caviar.nn.NetworkSpec;
import dev.caviar.report.StudyDirectory;
import dev.caviar.study.RoundRecord;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.BlockId;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("spark")
class FinalModelTest {
  @TempDir Path tmp;

  private static final Map<String, Object> BEST =
      Map.of("layers", 1, "units", 16, "batchSize", 64, "learningRate", 0.01);

  static NetworkSpec spec(LoadedData data) {
    return Networks.toSpec(BEST, data.width(), data.classes(), 2, 10);
  }

  static byte[] bytes(Model m) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ObjectOutputStream o = new ObjectOutputStream(out)) {
      o.writeObject(m);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  static DataSpec synthetic(int rows, int features) {
    return new DataSpec(
        DataSpec.Source.SYNTHETIC,
        null,
        null,
        null,
        null,
        "label",
        null,
        true,
        0.2,
        0.25,
        new DataSpec.Synthetic(rows, features, 3, 0.3),
        0);
  }

  /**
   * Tasks on two cores in parallel give bit for bit the models one thread gives training the same
   * members one after another (what local[1] does): a member depends on its seed and rows only.
   */
  @Test
  void finalModelsTrainedOnExecutorsEqualTheSameMembersTrainedOneAfterAnother() {
    SparkSession spark = SharedSpark.session();
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    LoadedData data = Datasets.load(spark, SparkStudyTest.synthetic(), 42, 3);
    try {
      NetworkSpec spec = spec(data);
      List<FinalModel.Member> sharded = FinalModel.trainSharded(data.shards(), spec, 42, 5);
      assertEquals(3, sharded.size());
      List<PackedShard> shards = new ArrayList<>(data.shards().collect());
      for (int s = 0; s < 3; s++) {
        FinalModel.Member m = sharded.get(s);
        assertEquals(s, m.index());
        assertEquals(FinalModel.seed(42, 5, s), m.seed());
        assertEquals(data.shardRows()[s], m.rows(), "a shard model trains on all its rows");
        FinalModel.Member serial = FinalModel.train(spec, shards.get(s), "shard", s, m.seed());
        assertArrayEquals(bytes(serial.model()), bytes(m.model()), "shard " + s);
      }
      assertNotEquals(
          java.util.Arrays.toString(bytes(sharded.get(0).model())),
          java.util.Arrays.toString(bytes(sharded.get(1).model())));

      Broadcast<PackedShard> all = sc.broadcast(data.trainingSet());
      try {
        List<FinalModel.Member> seeds = FinalModel.trainBroadcast(sc, all, spec, 42, 5, 3);
        assertEquals(3, seeds.size());
        for (int i = 0; i < 3; i++) {
          FinalModel.Member serial =
              FinalModel.train(spec, data.trainingSet(), "member", i, FinalModel.seed(42, 5, i));
          assertEquals(i, seeds.get(i).index());
          assertEquals(data.trainingRows(), seeds.get(i).rows());
          assertArrayEquals(bytes(serial.model()), bytes(seeds.get(i).model()), "member " + i);
          assertEquals(ExecutorBlas.blasOfThisJvm(), seeds.get(i).ranOn().blas());
        }
      } finally {
        all.destroy();
      }
    } finally {
      data.unpersist();
    }
  }

  @Test
  void theDefaultSeedCountFollowsTheCoresUpToACapAndAnExplicitOneWins() {
    assertEquals(1, FinalModel.modelCount(0, 1));
    assertEquals(2, FinalModel.modelCount(0, 2));
    assertEquals(
        ExecutionSpec.MAX_DEFAULT_FINAL_MODELS,
        FinalModel.modelCount(0, 10 * ExecutionSpec.MAX_DEFAULT_FINAL_MODELS));
    assertEquals(3, FinalModel.modelCount(3, 64));
    // Member 0 keeps the seed of the single final model of earlier versions.
    assertEquals(
        dev.caviar.study.Seeds.derive(42, dev.caviar.study.Purpose.FINAL, 0, 5, 0),
        FinalModel.seed(42, 5, 0));
  }

  @Test
  void anEnsembleAveragesItsMembersProbabilitiesAndSavesThemAll() throws IOException {
    SparkSession spark = SharedSpark.session();
    LoadedData data = Datasets.load(spark, SparkStudyTest.synthetic(), 42, 2);
    try {
      NetworkSpec spec = spec(data);
      Model a = FinalModel.train(spec, data.trainingSet(), "member", 0, 1).model();
      Model b = FinalModel.train(spec, data.trainingSet(), "member", 1, 2).model();
      double[] mean = data.standardizer().mean();
      double[] scale = data.standardizer().scale();
      TunedModel ensemble = new TunedModel(List.of(a, b), mean, scale);
      TunedModel onlyA = new TunedModel(a, mean, scale);
      TunedModel onlyB = new TunedModel(b, mean, scale);
      java.util.SplittableRandom rng = new java.util.SplittableRandom(5);
      boolean differ = false;
      for (int i = 0; i < 20; i++) {
        org.apache.spark.ml.linalg.Vector v = Vectors.dense(rng.doubles(8, -2, 2).toArray());
        double[] pa = onlyA.predictProbabilities(v);
        double[] pb = onlyB.predictProbabilities(v);
        double[] pe = ensemble.predictProbabilities(v);
        for (int c = 0; c < 3; c++) {
          assertEquals((pa[c] + pb[c]) / 2, pe[c], 1e-12);
          differ |= Math.abs(pa[c] - pb[c]) > 1e-3;
        }
      }
      assertTrue(differ, "two seeds must give two different members for the test to mean much");

      String path = tmp.resolve("ensemble").toString();
      ensemble.write().save(path);
      TunedModel loaded = TunedModel.load(path);
      assertEquals(2, loaded.members().size());
      assertArrayEquals(bytes(a), bytes(loaded.members().get(0)));
      assertArrayEquals(bytes(b), bytes(loaded.members().get(1)));

      // The scoring of the test parts: the single model's figures are Model.evaluate's, the
      // ensemble's come from the averaged probabilities.
      PackedShard test = data.testSet();
      DataView view = new DataView(test.features(), test.labels(), test.width(), null);
      double[] part = TestScoring.scorePart(List.of(a, b), test);
      Model.Evaluation single = a.evaluate(view);
      assertEquals(test.rows(), part[0]);
      assertEquals(single.accuracy(), part[2] / part[0], 1e-12);
      assertEquals(single.loss(), part[1] / part[0], 1e-6);
      float[] p = new float[test.rows() * 3];
      float[] q = new float[test.rows() * 3];
      a.predictProbabilities(view, p);
      b.predictProbabilities(view, q);
      int correct = 0;
      for (int r = 0; r < test.rows(); r++) {
        int best = 0;
        for (int c = 1; c < 3; c++) {
          if ((double) p[r * 3 + c] + q[r * 3 + c] > (double) p[r * 3 + best] + q[r * 3 + best]) {
            best = c;
          }
        }
        correct += best == test.labels()[r] ? 1 : 0;
      }
      assertEquals(correct, part[4]);
    } finally {
      data.unpersist();
    }
  }

  /**
   * The test rows are scored where they are cached: each scoring task sends back five numbers, a
   * small fraction of the packed test rows it scored, and the result equals scoring the collected
   * test set on the driver.
   */
  @Test
  void theTestSetIsScoredOnTheExecutorsAndOnlyNumbersComeBack() throws Exception {
    SparkSession spark = SharedSpark.session();
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    LoadedData data = Datasets.load(spark, synthetic(20_000, 40), 42, 2);
    try {
      Model m = FinalModel.train(spec(data), data.shards().first(), "shard", 0, 3).model();
      List<Long> resultBytes = java.util.Collections.synchronizedList(new ArrayList<>());
      SparkListener listener =
          new SparkListener() {
            @Override
            public void onTaskEnd(SparkListenerTaskEnd end) {
              if (end.taskMetrics() != null) {
                resultBytes.add(end.taskMetrics().resultSize());
              }
            }
          };
      sc.sc().listenerBus().waitUntilEmpty();
      sc.sc().addSparkListener(listener);
      TestScoring.Score score;
      try {
        score = TestScoring.score(sc, List.of(m), data.testParts());
        sc.sc().listenerBus().waitUntilEmpty();
      } finally {
        sc.sc().removeSparkListener(listener);
      }
      long testBytes = data.testParts().map(PackedShard::bytes).reduce(Long::sum);
      assertTrue(testBytes > 500_000, "the test rows must be big enough to tell: " + testBytes);
      assertEquals(data.testParts().getNumPartitions(), resultBytes.size(), "" + resultBytes);
      long back = resultBytes.stream().mapToLong(Long::longValue).sum();
      assertTrue(back * 50 < testBytes, back + " bytes came back for " + testBytes + " test bytes");

      PackedShard test = data.testSet();
      Model.Evaluation driver =
          m.evaluate(new DataView(test.features(), test.labels(), test.width(), null));
      assertEquals(test.rows(), score.rows());
      assertEquals(driver.accuracy(), score.singleAccuracy(), 1e-12);
      assertEquals(driver.loss(), score.singleLoss(), 1e-6);
      assertEquals(score.singleAccuracy(), score.ensembleAccuracy(), 1e-12);
    } finally {
      data.unpersist();
    }
  }

  @Test
  void theShardCountFollowsTheDataOnlyAndIsRecorded() throws Exception {
    assertEquals(4, Datasets.defaultShards(1_200));
    assertEquals(4, Datasets.defaultShards(40_000));
    assertEquals(6, Datasets.defaultShards(60_000));
    assertEquals(101, Datasets.defaultShards(1_000_001));
    assertEquals(4096, Datasets.defaultShards(10_000_000_000L));
    SparkSession spark = SharedSpark.session();
    String out = tmp.resolve("default-shards").toString();
    SparkStudy.Setup s = SparkStudyTest.setup(out, Layout.BROADCAST, 1);
    SparkStudy.Setup fromData =
        new SparkStudy.Setup(
            s.settings(),
            s.space(),
            s.model(),
            s.data(),
            new ExecutionSpec(Layout.BROADCAST, 0, 1, 64, 2),
            out,
            s.resolvedConfig());
    killAtStart(spark, fromData);
    JsonNode json =
        new ObjectMapper()
            .readTree(StudyDirectory.at(out, new Configuration()).readText("data.json"));
    assertEquals(
        Datasets.defaultShards(json.path("trainingRows").asLong()), json.path("shards").asInt());
  }

  private static void killAtStart(SparkSession spark, SparkStudy.Setup setup) {
    SparkStudy.Listener kill =
        new SparkStudy.Listener() {
          @Override
          public void started(LoadedData data, Layout layout, int resumedRounds) {
            throw new IllegalStateException("killed");
          }
        };
    assertThrows(IllegalStateException.class, () -> SparkStudy.run(spark, setup, false, kill));
  }

  @Test
  void aResumeRefusesAnotherSharding() {
    SparkSession spark = SharedSpark.session();
    String out = tmp.resolve("resharded").toString();
    killAtStart(spark, SparkStudyTest.setup(out, Layout.SHARDED, 1));
    SparkStudy.Setup s = SparkStudyTest.setup(out, Layout.SHARDED, 1);
    SparkStudy.Setup three =
        new SparkStudy.Setup(
            s.settings(),
            s.space(),
            s.model(),
            s.data(),
            new ExecutionSpec(Layout.SHARDED, 3, 1, 64),
            out,
            s.resolvedConfig());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> SparkStudy.run(spark, three, true, SparkStudy.Listener.NONE));
    assertTrue(e.getMessage().contains("sharded into 2 shards"), e.getMessage());
    assertTrue(e.getMessage().contains("this run shards into 3"), e.getMessage());
  }

  @Test
  void aRoundOrFinalModelOnMixedBlasIsFlagged() {
    ExecutorBlas a1 = new ExecutorBlas("1", "dev.ludovic.netlib.blas.JNIBLAS", 3);
    ExecutorBlas a2 = new ExecutorBlas("2", "dev.ludovic.netlib.blas.JNIBLAS", 2);
    ExecutorBlas b = new ExecutorBlas("3", "dev.ludovic.netlib.blas.VectorBLAS", 4);
    assertTrue(!ExecutorBlas.checkMixed("round 0", List.of(a1, a2)));
    assertTrue(ExecutorBlas.checkMixed("round 0", List.of(a1, b, a2)));
    // A retried task reports its executor twice: merged, counts added, ordered by executor.
    assertEquals(
        List.of(new ExecutorBlas("1", a1.blas(), 4), b),
        ExecutorBlas.merge(List.of(b, a1, new ExecutorBlas("1", a1.blas(), 1))));
    RoundTiming mixed = RoundTiming.of(1_000_000, List.of(), 2, 0, List.of(a1, b));
    assertTrue(mixed.mixedBlas());
    assertEquals(List.of(a1, b), mixed.executors());
    assertTrue(!RoundTiming.of(1_000_000, List.of(), 2, 0, List.of(a1, a2)).mixedBlas());
  }

  /** What Spark holds for the study: its persisted RDDs and its broadcasts over 1 MB. */
  private static Set<String> held(SparkSession spark) {
    Set<String> out = new HashSet<>();
    for (Object id :
        scala.jdk.javaapi.CollectionConverters.asJava(
            spark.sparkContext().getPersistentRDDs().keySet())) {
      out.add("rdd " + id);
    }
    var bm = SparkEnv.get().blockManager();
    scala.Function1<BlockId, Object> broadcast = id -> id.isBroadcast();
    for (BlockId id :
        scala.jdk.javaapi.CollectionConverters.asJava(bm.getMatchingBlockIds(broadcast))) {
      scala.Option<org.apache.spark.storage.BlockStatus> st = bm.getStatus(id);
      if (st.isDefined() && st.get().memSize() + st.get().diskSize() > 1_000_000) {
        out.add(id.name());
      }
    }
    return out;
  }

  @Test
  void aFailedStudyReleasesItsCachedDataAndBroadcasts() {
    SparkSession spark = SharedSpark.session();
    Set<String> before = held(spark);
    Set<String> during = new HashSet<>();
    SparkStudy.Setup s =
        SparkStudyTest.setup(tmp.resolve("failed").toString(), Layout.BROADCAST, 1);
    SparkStudy.Setup big =
        new SparkStudy.Setup(
            s.settings(),
            s.space(),
            s.model(),
            synthetic(20_000, 40),
            s.execution(),
            s.outputDir(),
            s.resolvedConfig());
    SparkStudy.Listener failAfterFirstRound =
        new SparkStudy.Listener() {
          @Override
          public void roundFinished(RoundRecord round, long nanos, String path) {
            during.addAll(held(spark));
            throw new IllegalStateException("the study fails");
          }
        };
    assertThrows(
        IllegalStateException.class, () -> SparkStudy.run(spark, big, false, failAfterFirstRound));
    during.removeAll(before);
    assertTrue(
        during.stream().anyMatch(x -> x.startsWith("rdd ")), "cached shards seen: " + during);
    assertTrue(
        during.stream().anyMatch(x -> x.startsWith("broadcast_")),
        "the training-set broadcast seen: " + during);
    Set<String> left = new HashSet<>();
    for (int attempt = 0; attempt < 50; attempt++) {
      left = held(spark);
      left.retainAll(during);
      if (left.isEmpty()) {
        break;
      }
      try {
        Thread.sleep(100); // block removal is asynchronous
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    assertEquals(Set.of(), left);
  }
}
