package dev.caviar.cluster;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A Spark standalone cluster on 127.0.0.1: a Master and two Workers, each its own JVM, started from
 * the project's Maven classpath. A Worker launches executors from a {@code SPARK_HOME}, so one is
 * laid out from the same jars ({@code jars/} and a {@code RELEASE} file, which tells Spark's
 * launcher that this is a distribution and not a source tree). Each Worker offers one core and 1
 * GiB: each application gets two single-core executors.
 */
final class StandaloneCluster implements AutoCloseable {
  /** The Master and Workers only pass messages: a small heap. */
  private static final List<String> DAEMON_FLAGS = List.of("-Xmx256m");

  private static final Pattern ALIVE = Pattern.compile("\"aliveworkers\"\\s*:\\s*(\\d+)");

  private final SparkJvms jvms = new SparkJvms();
  private final Path home;
  private final Path sparkHome;
  private final int port;
  private final List<Path> workDirs = new ArrayList<>();

  StandaloneCluster(Path home) throws Exception {
    this.home = home;
    this.sparkHome = home.resolve("spark-home");
    try {
      layOutSparkHome();
      port = freePort();
      int ui = freePort();
      Map<String, String> env =
          Map.of("SPARK_HOME", sparkHome.toString(), "SPARK_SCALA_VERSION", "2.13");
      jvms.java(
          "org.apache.spark.deploy.master.Master",
          DAEMON_FLAGS,
          List.of("--host", "127.0.0.1", "--port", "" + port, "--webui-port", "" + ui),
          env,
          home.resolve("master.log"));
      for (int w = 1; w <= 2; w++) {
        Path work = Files.createDirectories(home.resolve("worker-" + w));
        workDirs.add(work);
        jvms.java(
            "org.apache.spark.deploy.worker.Worker",
            DAEMON_FLAGS,
            List.of(
                "--host",
                "127.0.0.1",
                "--cores",
                "1",
                "--memory",
                "1g",
                "--work-dir",
                work.toString(),
                "--webui-port",
                "0",
                masterUrl()),
            env,
            home.resolve("worker-" + w + ".log"));
      }
      awaitWorkers(ui, 2);
    } catch (Exception | Error e) {
      jvms.close();
      throw e;
    }
  }

  String masterUrl() {
    return "spark://127.0.0.1:" + port;
  }

  Path sparkHome() {
    return sparkHome;
  }

  /**
   * The spark-submit options of every cluster run: two single-core executors with the Java 17 flags
   * and those of every test JVM, one BLAS thread each. The README's cluster section shows the same
   * line, less the test JVM flags.
   */
  List<String> submitOptions() {
    return List.of(
        "--master",
        masterUrl(),
        "--conf",
        "spark.executor.cores=1",
        "--conf",
        "spark.executor.memory=512m",
        "--conf",
        "spark.cores.max=2",
        "--conf",
        "spark.executor.extraJavaOptions="
            + String.join(" ", SparkJvms.jvmFlags())
            + " "
            + String.join(" ", SparkJvms.TEST_JVM_FLAGS),
        "--conf",
        "spark.executorEnv.OPENBLAS_NUM_THREADS=1",
        "--conf",
        "spark.driver.host=127.0.0.1");
  }

  SparkJvms jvms() {
    return jvms;
  }

  /** The live executor JVMs of this cluster (not another test's), found by their command line. */
  List<ProcessHandle> executors() {
    return SparkJvms.processesWith("CoarseGrainedExecutorBackend", sparkHome.toString());
  }

  /** The directories of every executor the Workers launched, over the cluster's life. */
  List<Path> executorDirs() throws IOException {
    List<Path> dirs = new ArrayList<>();
    for (Path work : workDirs) {
      try (Stream<Path> apps = Files.list(work)) {
        for (Path app : apps.toList()) {
          try (Stream<Path> execs = Files.list(app)) {
            execs.filter(Files::isDirectory).forEach(dirs::add);
          }
        }
      }
    }
    return dirs;
  }

  private void layOutSparkHome() throws IOException {
    Path jars = Files.createDirectories(sparkHome.resolve("jars"));
    for (Path jar : SparkJvms.sparkJars()) {
      Path link = jars.resolve(jar.getFileName());
      if (!Files.exists(link)) {
        Files.createSymbolicLink(link, jar);
      }
    }
    Files.writeString(sparkHome.resolve("RELEASE"), "Spark (Caviar test cluster, Maven jars)\n");
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private void awaitWorkers(int ui, int count) throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      try {
        last =
            http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ui + "/json/")).build(),
                    HttpResponse.BodyHandlers.ofString())
                .body();
        Matcher m = ALIVE.matcher(last);
        if (m.find() && Integer.parseInt(m.group(1)) >= count) {
          return;
        }
      } catch (IOException e) {
        last = e.toString(); // the Master is still starting
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException(
        "the Workers did not register in 2 min: "
            + last
            + "\nmaster log:\n"
            + SparkJvms.tail(home.resolve("master.log"))
            + "\nworker log:\n"
            + SparkJvms.tail(home.resolve("worker-1.log")));
  }

  @Override
  public void close() {
    jvms.close();
  }
}
