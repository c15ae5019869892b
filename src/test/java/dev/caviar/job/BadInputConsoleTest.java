package dev.caviar.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real console of a failed run, in a JVM of its own started with the job's logging config
 * (conf/log4j2.properties): a row error raised inside a Spark task is one line on stderr, while
 * Spark's task failure and the stack trace go to the log file. In the test JVM (BadInputTest) the
 * executor's own logging never reaches the captured stream, so only a child process can show it.
 */
@Tag("spark")
class BadInputConsoleTest {
  @TempDir Path tmp;

  @Test
  void aRowErrorInsideASparkTaskIsOneLineOnTheConsoleAndATraceInTheLog() throws Exception {
    BadInputFiles.csv(tmp.resolve("bad.csv"), "1,NaN,0");
    BadInputFiles.libsvm(tmp.resolve("bad.svm"), "1 2:1 1:3", 0);
    Path conf = BadInputTest.conf(tmp, "source = csv, path = \"DIR/bad.csv\", labelColumn = y");
    Path log = tmp.resolve("caviar.log");
    Path out = tmp.resolve("out");
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // The test JVM's own flags: Spark's --add-opens, memory.     // Without the Vector API module,
    // whose start-up warning jobs/caviar filters out.
    ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(a -> !a.contains("jdk.incubator.vector"))
        .forEach(cmd::add);
    cmd.add("-Dlog4j2.configurationFile=" + Path.of("conf/log4j2.properties").toAbsolutePath());
    cmd.add("-Dcaviar.log=" + log);
    cmd.add("-Dspark.master=local[2]");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(Caviar.class.getName());
    cmd.addAll(List.of("tune", "--conf", conf.toString(), "--out", out.toString()));
    // Overridden from the command line in its -D form, as the README shows.
    cmd.addAll(
        List.of(
            "-Ddata.source=libsvm",
            "-Ddata.path=\"" + tmp.resolve("bad.svm") + "\"",
            "-Dexecution.shards=2"));
    Path stderr = tmp.resolve("stderr.txt");
    Process p =
        new ProcessBuilder(cmd)
            .redirectError(stderr.toFile())
            .redirectOutput(tmp.resolve("stdout.txt").toFile())
            .start();
    assertTrue(p.waitFor(5, TimeUnit.MINUTES), "caviar did not finish in 5 minutes");
    String err = Files.readString(stderr);
    assertEquals(Caviar.BAD_INPUT, p.exitValue(), err);
    assertEquals(
        List.of(
            "caviar: error: "
                + tmp.resolve("bad.svm")
                + ":6: index 1: indices must be in ascending order, got 1 after 2"),
        err.strip().lines().toList());
    assertFalse(Files.exists(out) && Files.list(out).findAny().isPresent(), "output written");
    String logged = Files.readString(log);
    assertTrue(logged.contains("at dev.caviar.data.LibsvmReader"), "no stack trace in the log");
  }
}
