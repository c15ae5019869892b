package dev.caviar.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Starts JVMs from the project's own Maven classpath, as the integration tests need them: Spark's
 * jars (the provided scope, written by the build to {@code target/spark-classpath.txt}), the shaded
 * Caviar jar, and the Java 17 flags Spark needs. Every JVM started here is stopped with its
 * descendants by {@link #close()}, or by the test JVM's shutdown hook if a test never got there.
 * Shared by the integration tests of every package that start a child JVM.
 */
public final class SparkJvms implements AutoCloseable {
  private static final List<Process> ALL = new ArrayList<>();

  /**
   * Two cores shared by every JVM of a test: no parallel GC threads fighting the tasks, and only
   * the C1 compiler. A test's JVM lives half a minute and spends most of it starting Spark, not
   * training; C2 compiling Spark's startup code took a third of its CPU. Java's floating point is
   * the same under either compiler, so the scores are too.
   */
  static final List<String> TEST_JVM_FLAGS = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(SparkJvms::killAll, "kill-test-jvms"));
  }

  private final List<Process> started = new ArrayList<>();

  /** The shaded jar under test ({@code mvn package} builds it before the integration tests). */
  public static Path caviarJar() {
    Path jar = Path.of(property("caviar.jar"));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " missing: the integration tests run after package");
    }
    return jar;
  }

  /** Spark's runtime jars: the project's provided-scope dependencies. */
  public static List<Path> sparkJars() {
    try {
      String cp = Files.readString(Path.of(property("caviar.spark.classpath"))).trim();
      return Arrays.stream(cp.split(java.io.File.pathSeparator)).map(Path::of).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static List<String> jvmFlags() {
    return Arrays.asList(property("caviar.jvm.flags").trim().split("\\s+"));
  }

  private static String property(String key) {
    String v = System.getProperty(key);
    if (v == null) {
      throw new IllegalStateException(key + " unset: run the integration tests through Maven");
    }
    return v;
  }

  /** A JVM running {@code mainClass} on Spark's classpath; stdout and stderr go to {@code log}. */
  public Process java(
      String mainClass,
      List<String> extraFlags,
      List<String> args,
      Map<String, String> env,
      Path log)
      throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmFlags());
    cmd.addAll(TEST_JVM_FLAGS);
    cmd.addAll(extraFlags);
    cmd.add("-cp");
    cmd.add(
        String.join(java.io.File.pathSeparator, sparkJars().stream().map(Path::toString).toList()));
    cmd.add(mainClass);
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.redirectOutput(log.toFile());
    pb.environment().put("OPENBLAS_NUM_THREADS", "1");
    pb.environment().put("OMP_NUM_THREADS", "1");
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    pb.environment().putAll(env);
    Process p = pb.start();
    synchronized (ALL) {
      ALL.add(p);
    }
    started.add(p);
    return p;
  }

  /**
   * {@code spark-submit --master MASTER --class dev.caviar.job.Caviar caviar.jar ARGS}: Spark's own
   * submit path (the main class the {@code spark-submit} script runs), in client mode, so the
   * returned process is the driver.
   */
  public Process submit(List<String> sparkOptions, List<String> caviarArgs, Path log)
      throws IOException {
    List<String> args = new ArrayList<>(sparkOptions);
    args.addAll(List.of("--class", "dev.caviar.job.Caviar", caviarJar().toString()));
    args.addAll(caviarArgs);
    return java("org.apache.spark.deploy.SparkSubmit", List.of("-Xmx768m"), args, Map.of(), log);
  }

  /** Waits for a process to end and fails with its log when it does not end well. */
  public static void awaitSuccess(Process p, Path log, long minutes) throws Exception {
    if (!p.waitFor(minutes, TimeUnit.MINUTES)) {
      kill(p.pid());
      throw new AssertionError("timed out after " + minutes + " min; log:\n" + tail(log));
    }
    if (p.exitValue() != 0) {
      throw new AssertionError("exit code " + p.exitValue() + "; log:\n" + tail(log));
    }
  }

  public static String tail(Path log) {
    try {
      String s = Files.readString(log, StandardCharsets.UTF_8);
      return s.length() > 6000 ? s.substring(s.length() - 6000) : s;
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  /**
   * SIGKILL, as the OOM killer or a lost machine would: no shutdown hook runs. {@code kill(1)},
   * because {@link ProcessHandle#destroyForcibly()} is not promised to SIGKILL a process that is
   * not our child.
   */
  public static void kill(long pid) throws IOException, InterruptedException {
    Process k = new ProcessBuilder("/bin/kill", "-KILL", Long.toString(pid)).inheritIO().start();
    k.waitFor(30, TimeUnit.SECONDS);
    ProcessHandle.of(pid).ifPresent(h -> h.onExit().join());
  }

  /** The command lines of the running processes whose command line contains every marker. */
  static List<ProcessHandle> processesWith(String... markers) {
    List<ProcessHandle> found = new ArrayList<>();
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path p : procs.toList()) {
        String name = p.getFileName().toString();
        if (!name.chars().allMatch(Character::isDigit)) {
          continue;
        }
        String cmd = commandLine(p);
        if (cmd != null && Arrays.stream(markers).allMatch(cmd::contains)) {
          ProcessHandle.of(Long.parseLong(name)).ifPresent(found::add);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return found;
  }

  static String commandLine(long pid) {
    return commandLine(Path.of("/proc", Long.toString(pid)));
  }

  private static String commandLine(Path proc) {
    try {
      return new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8)
          .replace('\0', ' ');
    } catch (IOException | SecurityException e) {
      return null; // ended meanwhile, or not ours to read
    }
  }

  /** SIGTERM first (a Worker's shutdown hook stops its executors), then SIGKILL what is left. */
  @Override
  public void close() {
    stop(started);
  }

  private static void killAll() {
    synchronized (ALL) {
      stop(ALL);
    }
  }

  private static void stop(List<Process> processes) {
    List<ProcessHandle> all = new ArrayList<>();
    for (Process p : processes) {
      all.addAll(p.descendants().toList());
      all.add(p.toHandle());
    }
    for (int i = processes.size() - 1; i >= 0; i--) {
      Process p = processes.get(i);
      p.destroy();
      try {
        p.waitFor(20, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    for (ProcessHandle h : all) {
      if (h.isAlive()) {
        h.destroyForcibly();
        h.onExit().join();
      }
    }
  }
}
