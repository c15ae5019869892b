package dev.caviar.hdfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.caviar.cluster.StudyResults;
import dev.caviar.config.StudyConfig;
import dev.caviar.config.StudySpec;
import dev.caviar.job.CaviarCliTest;
import dev.caviar.report.StudyDirectory;
import dev.caviar.spark.SparkStudy;
import dev.caviar.study.RoundRecord;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HDFS for real: a MiniDFSCluster (a NameNode and a DataNode in this JVM), the data read from
 * {@code hdfs://}, the study written there, resumed from there, warm-started from there, and {@code
 * show}/{@code report} reading it. Every path is written {@code hdfs:///...}: it resolves only
 * against the {@code fs.defaultFS} given as {@code spark.hadoop.fs.defaultFS}, so the tests also
 * show that Caviar uses the Hadoop configuration Spark uses, not a bare {@code new
 * Configuration()}.
 */
@Tag("spark")
@Tag("cluster")
class HdfsIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path tmp;
  static MiniDFSCluster hdfs;
  static String defaultFs;

  @BeforeAll
  static void startHdfs() throws Exception {
    Configuration conf = new Configuration();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, tmp.resolve("hdfs").toString());
    conf.set("dfs.namenode.rpc-address", "127.0.0.1:0");
    hdfs = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
    hdfs.waitActive();
    defaultFs = "hdfs://127.0.0.1:" + hdfs.getNameNodePort();
    writeCsv(hdfs.getFileSystem(), new org.apache.hadoop.fs.Path("/data/train.csv"));
  }

  @AfterAll
  static void stopHdfs() {
    SparkSession.getDefaultSession()
        .foreach(
            s -> {
              s.stop();
              return null;
            });
    if (hdfs != null) {
      hdfs.shutdown();
    }
  }

  /** Three Gaussian classes in 8 features, seeded. */
  static void writeCsv(FileSystem fs, org.apache.hadoop.fs.Path path) throws Exception {
    SplittableRandom rng = new SplittableRandom(5);
    StringBuilder b = new StringBuilder("label,f0,f1,f2,f3,f4,f5,f6,f7\n");
    for (int i = 0; i < 3000; i++) {
      int c = rng.nextInt(3);
      b.append(c);
      for (int f = 0; f < 8; f++) {
        double mean = (f % 3 == c) ? 1.0 : 0.0;
        b.append(',').append(String.format(Locale.ROOT, "%.5f", mean + rng.nextGaussian()));
      }
      b.append('\n');
    }
    try (FSDataOutputStream out = fs.create(path)) {
      out.write(b.toString().getBytes(StandardCharsets.UTF_8));
    }
  }

  static Path conf() throws Exception {
    Path f = tmp.resolve("hdfs.conf");
    Files.writeString(
        f,
        String.join(
            "\n",
            "study { name = on-hdfs, seed = 3, elite = 0.5, carry = 1",
            "  rounds = [{ trials = 4, epochs = 1 }, { trials = 2, epochs = 2 }] }",
            "data { source = csv, path = \"hdfs:///data/train.csv\", labelColumn = label,",
            "  testFraction = 0.2, validationFraction = 0.2 }",
            "model { batchNorm = true, optimizer = adam, layers = 1, batchSize = 64 }",
            "space {",
            "  learningRate { scale = log, low = 1e-3, high = 1e-1 }",
            "  units { scale = intLog, low = 8, high = 32 }",
            "}",
            "execution { layout = broadcast, shards = 2, replicas = 1 }",
            "output.dir = \"hdfs:///studies/unused\"",
            ""));
    return f;
  }

  private static CaviarCliTest.Run caviar(String... args) {
    return CaviarCliTest.caviar(args);
  }

  @Test
  void aStudyReadsWritesResumesAndWarmStartsOnHdfsAndShowAndReportReadIt() throws Exception {
    String conf = conf().toString();
    // getOrCreate would hand back a session another test of this JVM left behind, without
    // fs.defaultFS: this test needs its own.
    if (SparkSession.getDefaultSession().isDefined()) {
      SparkSession.getDefaultSession().get().stop();
      SparkSession.clearActiveSession();
      SparkSession.clearDefaultSession();
    }
    SparkSession spark =
        SparkSession.builder()
            .master("local[2]")
            .appName("caviar-hdfs-test")
            .config("spark.ui.enabled", "false")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.hadoop.fs.defaultFS", defaultFs)
            .getOrCreate();
    Configuration sparkConf = spark.sparkContext().hadoopConfiguration();

    // Data from hdfs://, the study to hdfs:// (the tune command borrows this session).
    CaviarCliTest.Run whole = caviar("tune", "--conf", conf, "--out", "hdfs:///studies/whole");
    assertEquals(0, whole.exit(), whole.err());
    assertTrue(
        hdfs.getFileSystem().exists(new org.apache.hadoop.fs.Path("/studies/whole/best.json")));

    // A study that stopped after its first round, resumed from hdfs://.
    StudySpec spec = StudyConfig.load(conf, List.of("output.dir=\"hdfs:///studies/resumed\""));
    SparkStudy.Setup setup =
        new SparkStudy.Setup(
            spec.study(),
            spec.space(),
            spec.model(),
            spec.data(),
            spec.execution(),
            spec.output().dir(),
            spec.render(),
            null);
    SparkStudy.Listener stopAfterFirstRound =
        new SparkStudy.Listener() {
          @Override
          public void roundFinished(RoundRecord round, long nanos, String path) {
            throw new IllegalStateException("stopped");
          }
        };
    assertThrows(
        IllegalStateException.class,
        () -> SparkStudy.run(spark, setup, false, stopAfterFirstRound));
    assertEquals(
        List.of(0), StudyDirectory.at("hdfs:///studies/resumed", sparkConf).completeRounds());
    CaviarCliTest.Run resumed =
        caviar("tune", "--resume", "--conf", conf, "--out", "hdfs:///studies/resumed");
    assertEquals(0, resumed.exit(), resumed.err());
    assertEquals(
        StudyResults.of("hdfs:///studies/whole", sparkConf),
        StudyResults.of("hdfs:///studies/resumed", sparkConf));

    // A warm start from hdfs://: the first round samples the earlier study's final region.
    CaviarCliTest.Run warm =
        caviar(
            "tune",
            "--conf",
            conf,
            "--out",
            "hdfs:///studies/warm",
            "study.warmStart=\"hdfs:///studies/whole\"");
    assertEquals(0, warm.exit(), warm.err());
    StudyDirectory w = StudyDirectory.at("hdfs:///studies/whole", sparkConf);
    StudyDirectory v = StudyDirectory.at("hdfs:///studies/warm", sparkConf);
    assertEquals(
        JSON.readTree(w.readText(w.roundPath(1) + "/region.json")).path("bounds"),
        JSON.readTree(v.readText(v.roundPath(0) + "/region.json")).path("bounds"));

    // show and report run without Spark: the spark.hadoop.* settings (spark-submit --conf sets them
    // as system properties) give them the same file system.
    spark.stop();
    System.setProperty("spark.hadoop.fs.defaultFS", defaultFs);
    try {
      CaviarCliTest.Run show = caviar("show", "hdfs:///studies/resumed");
      assertEquals(0, show.exit(), show.err());
      assertTrue(show.out().contains("2 complete round(s)"), show.out());
      CaviarCliTest.Run json = caviar("show", "--json", "hdfs:///studies/resumed");
      assertEquals(0, json.exit(), json.err());
      assertEquals(
          JSON.readTree(w.readText("best.json")).path("best"),
          JSON.readTree(json.out()).path("best"));
      hdfs.getFileSystem()
          .delete(new org.apache.hadoop.fs.Path("/studies/resumed/report.html"), false);
      CaviarCliTest.Run report = caviar("report", "hdfs:///studies/resumed");
      assertEquals(0, report.exit(), report.err());
      assertTrue(
          hdfs.getFileSystem()
              .exists(new org.apache.hadoop.fs.Path("/studies/resumed/report.html")));
    } finally {
      System.clearProperty("spark.hadoop.fs.defaultFS");
    }
    // Without the setting the same paths mean nothing: the setting is what was used.
    assertNotEquals(0, caviar("show", "hdfs:///studies/resumed").exit());
  }
}
