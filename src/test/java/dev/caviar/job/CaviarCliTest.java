package dev.caviar.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.caviar.spark.SharedSpark;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line end to end on bad input: one clear message naming the file or key, a non-zero
 * exit, and no round directory that looks complete. Runs in the test JVM on the shared session (the
 * command borrows an existing session and leaves it running).
 */
@Tag("spark")
public class CaviarCliTest {

  @TempDir Path tmp;

  @BeforeAll
  static void borrowTheSharedSession() {
    SharedSpark.session();
  }

  /** One command line run in this JVM: its exit code and what it printed. */
  public record Run(int exit, String out, String err) {}

  public static Run caviar(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit =
        Caviar.commandLine()
            .setOut(new PrintWriter(out, true))
            .setErr(new PrintWriter(err, true))
            .execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  private Path conf(String data) throws IOException {
    Path f = tmp.resolve("study.conf");
    Files.writeString(
        f,
        String.join(
            "\n",
            "study { name = cli, seed = 5, rounds = [{ trials = 4, epochs = 1 }, { trials = 2,"
                + " epochs = 1 }] }",
            "data { " + data + " }",
            "model { layers = 1, units = 16 }",
            "space { learningRate { scale = log, low = 1e-3, high = 1e-1 } }",
            "execution { layout = broadcast }",
            "output.dir = \"" + tmp.resolve("out") + "\""));
    return f;
  }

  /**
   * No round directory (complete or temporary) and no best.json: nothing that looks like output.
   */
  private void assertNoCompleteOutput() throws IOException {
    Path rounds = tmp.resolve("out/rounds");
    if (Files.exists(rounds)) {
      try (Stream<Path> s = Files.list(rounds)) {
        List<Path> complete = s.filter(p -> Files.exists(p.resolve("_ROUND_COMPLETE"))).toList();
        assertEquals(List.of(), complete);
      }
    }
    assertFalse(Files.exists(tmp.resolve("out/best.json")));
  }

  @Test
  void aMissingConfigFileIsBadInput() {
    Run r = caviar("tune", "--conf", tmp.resolve("nope.conf").toString());
    assertEquals(Caviar.BAD_INPUT, r.exit());
    assertTrue(r.err().contains("nope.conf"), r.err());
  }

  @Test
  void aMisspelledKeyFailsBeforeSparkWithTheKeyNamed() throws IOException {
    Run r = caviar("tune", "--conf", conf("source = synthetic").toString(), "study.sed=3");
    assertEquals(Caviar.BAD_INPUT, r.exit());
    assertTrue(r.err().contains("study.sed"), r.err());
  }

  @Test
  void aMissingDataPathIsBadInputAndWritesNoRound() throws IOException {
    Path missing = tmp.resolve("absent.csv");
    Run r = caviar("tune", "--conf", conf("source = csv, path = \"" + missing + "\"").toString());
    assertEquals(Caviar.BAD_INPUT, r.exit(), r.err());
    assertTrue(r.err().contains("absent.csv"), r.err());
    assertNoCompleteOutput();
  }

  @Test
  void aBadLabelIsBadInputNamingTheFileAndValue() throws IOException {
    List<String> lines = new ArrayList<>(List.of("label,a,b"));
    for (int i = 0; i < 200; i++) {
      lines.add((i == 17 ? "2.5" : String.valueOf(i % 2)) + "," + i + "," + (i * 3 % 7));
    }
    Path csv = Files.write(tmp.resolve("train.csv"), lines);
    Run r = caviar("tune", "--conf", conf("source = csv, path = \"" + csv + "\"").toString());
    assertEquals(Caviar.BAD_INPUT, r.exit(), r.err());
    assertTrue(r.err().contains("train.csv"), r.err());
    assertTrue(r.err().contains("2.5"), r.err());
    assertNoCompleteOutput();
  }

  @Test
  void aWarmStartFromADirectoryWithoutAStudyIsBadInput() throws IOException {
    Run r =
        caviar(
            "tune",
            "--conf",
            conf("source = synthetic").toString(),
            "study.warmStart=\"" + tmp.resolve("nothing-here") + "\"");
    assertEquals(Caviar.BAD_INPUT, r.exit(), r.err());
    assertTrue(r.err().contains("study.warmStart"), r.err());
    assertTrue(r.err().contains("nothing-here"), r.err());
  }

  @Test
  void aStudyRunsThenRefusesToOverwriteAndShowReadsIt() throws IOException {
    Path f = conf("source = synthetic, synthetic { rows = 600, features = 5, classes = 3 }");
    Run ok = caviar("tune", "--conf", f.toString());
    assertEquals(0, ok.exit(), ok.err());
    assertTrue(ok.out().contains("best configuration"), ok.out());
    assertTrue(ok.out().contains("  corrected for selection 0."), ok.out());
    assertTrue(Files.exists(tmp.resolve("out/best.json")));

    Run again = caviar("tune", "--conf", f.toString());
    assertEquals(Caviar.BAD_INPUT, again.exit());
    assertTrue(again.err().contains("--resume"), again.err());

    Run show = caviar("show", tmp.resolve("out").toString());
    assertEquals(0, show.exit(), show.err());
    assertTrue(show.out().contains("2 complete round(s)"), show.out());
    assertTrue(show.out().contains(", corrected for selection 0."), show.out());
    Run json = caviar("show", "--json", tmp.resolve("out").toString());
    assertTrue(json.out().contains("\"testAccuracy\""), json.out());

    Run notAStudy = caviar("show", tmp.toString());
    assertEquals(Caviar.BAD_INPUT, notAStudy.exit());
    assertTrue(notAStudy.err().contains("not a Caviar study directory"), notAStudy.err());
  }
}
