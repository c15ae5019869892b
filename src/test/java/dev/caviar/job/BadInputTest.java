package dev.caviar.job;

import static dev.caviar.job.BadInputFiles.BAD_LINE;
import static dev.caviar.job.BadInputFiles.BAD_ROW;
import static dev.caviar.job.BadInputFiles.ROWS;
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
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input as a new user meets it, through the command line: every defect class of every reader
 * (docs/bad-input.md lists them) exits with code 2 and exactly one line on stderr naming the file
 * and line, record or row (data) or the key (config and command line), writes nothing into the
 * output directory, and once the input is fixed the same command with the same {@code --out} runs
 * the study. In the test JVM on the shared session; {@link BadInputConsoleTest} proves in a JVM of
 * its own that the real console gets no stack trace either.
 */
@Tag("spark")
class BadInputTest {

  @TempDir Path tmp;

  @BeforeAll
  static void borrowTheSharedSession() {
    SharedSpark.session();
  }

  /** Writes a case's files into its directory. */
  interface Files_ {
    void write(Path dir) throws Exception;
  }

  /**
   * One defect: the data section ({@code DIR} stands for the case's directory), the bad files, the
   * fixed files, extra arguments of the bad and the fixed run, and what the error line must say
   * ({@code DIR} again for the directory).
   */
  record Case(
      String name,
      String data,
      Files_ bad,
      Files_ fix,
      List<String> badArgs,
      List<String> fixArgs,
      List<String> expected) {
    @Override
    public String toString() {
      return name;
    }

    Case args(List<String> bad, List<String> fixed) {
      return new Case(name, data, this.bad, fix, bad, fixed, expected);
    }
  }

  static Case of(String name, String data, Files_ bad, Files_ fix, String... expected) {
    return new Case(name, data, bad, fix, List.of(), List.of(), Arrays.asList(expected));
  }

  private static final String CSV = "source = csv, path = \"DIR/bad.csv\", labelColumn = y";
  private static final String SVM = "source = libsvm, path = \"DIR/bad.svm\"";
  private static final String IDX =
      "source = idx, path = \"DIR/images.idx\", labelsPath = \"DIR/labels.idx\"";
  private static final String PARQUET =
      "source = parquet, path = \"DIR/bad.parquet\", labelColumn = y";
  private static final String AT_LINE = "DIR/bad.csv:" + BAD_LINE + ": ";
  private static final String SVM_LINE = "DIR/bad.svm:" + BAD_LINE + ": ";

  private static Files_ csv(String bad) {
    return d -> BadInputFiles.csv(d.resolve("bad.csv"), bad);
  }

  private static Files_ svm(String bad) {
    return d -> BadInputFiles.libsvm(d.resolve("bad.svm"), bad, 0);
  }

  private static Files_ idx(int images, int labels, int[] labelOf) {
    return d ->
        BadInputFiles.idx(
            d.resolve("images.idx"), d.resolve("labels.idx"), images, labels, labelOf);
  }

  private static int[] label(int record, int value) {
    int[] l = new int[ROWS];
    Arrays.fill(l, -1);
    l[record] = value;
    return l;
  }

  private static Files_ parquet(Double badLabel, Double badX2, boolean nullX2) {
    return d -> BadInputFiles.parquet(d.resolve("bad.parquet"), badLabel, badX2, nullX2);
  }

  /** The cases; {@code -DbadInput.only=parquet} runs those whose name contains "parquet". */
  static Stream<Case> cases() {
    String only = System.getProperty("badInput.only", "");
    return allCases().filter(c -> c.name().contains(only));
  }

  private static Stream<Case> allCases() {
    Files_ goodCsv = csv(null);
    Files_ goodSvm = svm(null);
    Files_ goodIdx = idx(ROWS, ROWS, null);
    Files_ goodParquet = parquet(null, null, false);
    String badCsv = "DIR/bad.csv";
    return Stream.of(
        // CSV
        of(
            "csv NaN feature",
            CSV,
            csv("1,NaN,0"),
            goodCsv,
            AT_LINE + "column 'x2': must be a finite number, got NaN"),
        of(
            "csv Infinity feature",
            CSV,
            csv("Infinity,2,0"),
            goodCsv,
            AT_LINE + "column 'x1': must be a finite number, got Infinity"),
        of(
            "csv -Infinity feature",
            CSV,
            csv("1,-Infinity,1"),
            goodCsv,
            AT_LINE + "column 'x2': must be a finite number, got -Infinity"),
        of(
            "csv short row",
            CSV,
            csv("1,0"),
            goodCsv,
            AT_LINE + "row must hold 3 comma-separated values",
            "got 2"),
        of(
            "csv long row",
            CSV,
            csv("1,2,0,4"),
            goodCsv,
            AT_LINE + "row must hold 3 comma-separated values",
            "got 4"),
        of(
            "csv non-numeric feature",
            CSV,
            csv("abc,2,0"),
            goodCsv,
            AT_LINE + "column 'x1': must be a number, got 'abc'"),
        of(
            "csv empty feature",
            CSV,
            csv("1,,0"),
            goodCsv,
            AT_LINE + "column 'x2': must be a number, got no value"),
        of(
            "csv non-numeric label",
            CSV,
            csv("1,2,cat"),
            goodCsv,
            AT_LINE + "column 'y': must be a number, got 'cat'"),
        of(
            "csv fractional label",
            CSV,
            csv("1,2,2.5"),
            goodCsv,
            AT_LINE + "column 'y': label must be an integer class 0..C-1, got 2.5"),
        of(
            "csv negative label",
            CSV,
            csv("1,2,-1"),
            goodCsv,
            AT_LINE + "column 'y': label must be an integer class 0..C-1, got -1"),
        of(
            "csv labels 1..C",
            CSV,
            d -> BadInputFiles.csv(d.resolve("bad.csv"), null, 1, true),
            goodCsv,
            badCsv
                + ": column 'y': labels must be the classes 0..C-1, but class 0 has"
                + " no rows (the labels are 1..2)"),
        of(
            "csv stray label",
            CSV,
            csv("1,2,7"),
            goodCsv,
            AT_LINE
                + "column 'y': label must be a class 0..C-1 with every class present, got 7;"
                + " classes 2..6 have no rows"),
        of(
            "csv test label outside the training classes",
            CSV + ", testPath = \"DIR/test.csv\"",
            d -> {
              BadInputFiles.csv(d.resolve("bad.csv"), null);
              Files.write(d.resolve("test.csv"), List.of("x1,x2,y", "1,2,0", "3,4,1", "5,6,2"));
            },
            d -> Files.write(d.resolve("test.csv"), List.of("x1,x2,y", "1,2,0", "3,4,1", "5,6,1")),
            "DIR/test.csv:4: column 'y': label must be a class of the training data, 0..1, got 2"),
        of(
            "csv without header, label by index",
            CSV.replace("labelColumn = y", "labelColumn = \"2\"") + ", header = false",
            d -> BadInputFiles.csv(d.resolve("bad.csv"), "1,NaN,0", 0, false),
            d -> BadInputFiles.csv(d.resolve("bad.csv"), null, 0, false),
            "DIR/bad.csv:" + BAD_LINE + ": column 1: must be a finite number, got NaN"),
        of(
            "csv label column absent",
            CSV.replace("labelColumn = y", "labelColumn = label"),
            goodCsv,
            d -> {
              Path f = BadInputFiles.csv(d.resolve("bad.csv"), null);
              Files.writeString(f, Files.readString(f).replace("x1,x2,y", "x1,x2,label"));
            },
            "data.labelColumn: 'label' is not a column of",
            "its columns are: x1, x2, y"),
        of(
            "csv empty file",
            CSV,
            d -> Files.write(d.resolve("bad.csv"), new byte[0]),
            goodCsv,
            "data.path: " + badCsv + ": no rows"),
        of(
            "csv header only",
            CSV,
            d -> Files.write(d.resolve("bad.csv"), List.of("x1,x2,y")),
            goodCsv,
            badCsv + ": no rows"),
        of(
            "csv missing file",
            CSV,
            d -> {},
            goodCsv,
            "data.path: " + badCsv + ": no such file or directory"),
        of(
            "csv gzipped, NaN feature",
            CSV.replace("bad.csv", "bad.csv.gz"),
            d -> BadInputFiles.csvGz(d.resolve("bad.csv.gz"), "1,NaN,0"),
            d -> BadInputFiles.csvGz(d.resolve("bad.csv.gz"), null),
            "DIR/bad.csv.gz:" + BAD_LINE + ": column 'x2': must be a finite number, got NaN"),
        // LIBSVM
        of(
            "libsvm index 0",
            SVM,
            svm("1 0:1.5 2:3"),
            goodSvm,
            SVM_LINE + "feature 1: index must be an integer >= 1 (indices are 1-based), got '0'"),
        of(
            "libsvm descending indices",
            SVM,
            svm("1 2:1.5 1:3"),
            goodSvm,
            SVM_LINE + "index 1: indices must be in ascending order, got 1 after 2"),
        of(
            "libsvm repeated index",
            SVM,
            svm("0 1:1.5 1:3"),
            goodSvm,
            SVM_LINE + "index 1: indices must be in ascending order, got 1 after 1"),
        of(
            "libsvm non-numeric value",
            SVM,
            svm("1 1:abc 2:3"),
            goodSvm,
            SVM_LINE + "index 1: must be a number, got 'abc'"),
        of(
            "libsvm token without colon",
            SVM,
            svm("1 1:0.5 7"),
            goodSvm,
            SVM_LINE + "feature 2: must be index:value, got '7'"),
        of(
            "libsvm non-numeric label",
            SVM,
            svm("one 1:0.5"),
            goodSvm,
            SVM_LINE + "label: must be a number, got 'one'"),
        of(
            "libsvm fractional label",
            SVM,
            svm("1.5 1:0.5"),
            goodSvm,
            SVM_LINE + "label must be an integer class 0..C-1, got 1.5"),
        of(
            "libsvm NaN value",
            SVM,
            svm("1 1:NaN"),
            goodSvm,
            SVM_LINE + "index 1: must be a finite number, got NaN"),
        of(
            "libsvm labels 1..C",
            SVM,
            d -> BadInputFiles.libsvm(d.resolve("bad.svm"), null, 1),
            goodSvm,
            "DIR/bad.svm: labels must be the classes 0..C-1, but class 0 has no rows"),
        of(
            "libsvm index beyond data.features",
            SVM + ", features = 2",
            svm("1 1:0.5 3:2"),
            goodSvm,
            SVM_LINE + "index 3: must be <= data.features = 2, got 3"),
        of(
            "libsvm empty file",
            SVM,
            d -> Files.write(d.resolve("bad.svm"), new byte[0]),
            goodSvm,
            "data.path: DIR/bad.svm: no rows"),
        // IDX
        of(
            "idx truncated images",
            IDX,
            idx(30, ROWS, null),
            goodIdx,
            "DIR/images.idx: record 30: file ends early: its header promises 40 records"),
        of(
            "idx truncated labels",
            IDX,
            idx(ROWS, 25, null),
            goodIdx,
            "DIR/labels.idx: record 25: file ends early"),
        of(
            "idx labels 1..C",
            IDX,
            d -> {
              int[] l = new int[ROWS];
              Arrays.setAll(l, i -> i % 2 + 1);
              idx(ROWS, ROWS, l).write(d);
            },
            goodIdx,
            "DIR/images.idx: labels must be the classes 0..C-1, but class 0 has no rows"),
        of(
            "idx stray label",
            IDX,
            idx(ROWS, ROWS, label(BAD_ROW, 9)),
            goodIdx,
            // The row may fall in the test split: then it is not a class of the training rows.
            "DIR/labels.idx: record " + BAD_ROW + ": label must be a class",
            "got 9"),
        of(
            "idx not an IDX file",
            IDX,
            d -> {
              goodIdx.write(d);
              Files.writeString(d.resolve("labels.idx"), "label\n0\n1\n");
            },
            goodIdx,
            "data.labelsPath: DIR/labels.idx: not an unsigned-byte IDX file"),
        // Parquet
        of(
            "parquet NaN feature",
            PARQUET,
            parquet(null, Double.NaN, false),
            goodParquet,
            "DIR/bad.parquet/part-",
            ": row " + BAD_ROW + ": column 'x2': must be a finite" + " number, got NaN"),
        of(
            "parquet null feature",
            PARQUET,
            parquet(null, null, true),
            goodParquet,
            ": row " + BAD_ROW + ": column 'x2': must be a number, got null"),
        of(
            "parquet fractional label",
            PARQUET,
            parquet(0.5, null, false),
            goodParquet,
            ": row " + BAD_ROW + ": column 'y': label must be an integer class 0..C-1, got 0.5"),
        of(
            "parquet not a Parquet file",
            PARQUET,
            d -> Files.writeString(d.resolve("bad.parquet"), "y,x1\n0,1\n"),
            d -> {
              Files.delete(d.resolve("bad.parquet"));
              goodParquet.write(d);
            },
            "data.path: DIR/bad.parquet: cannot be read as Parquet"),
        of(
            "parquet text label column",
            PARQUET,
            d -> BadInputFiles.parquetTextLabel(d.resolve("bad.parquet")),
            goodParquet,
            "data.labelColumn: 'y' in DIR/bad.parquet must be numeric, got string"),
        // Config and command line
        of("-D override out of range", CSV, goodCsv, goodCsv, "execution.replicas")
            .args(List.of("-Dexecution.replicas=0"), List.of("-Dexecution.replicas=1")),
        of("misspelled key", CSV, goodCsv, goodCsv, "study.sed")
            .args(List.of("study.sed=3"), List.of("study.seed=3")),
        of("unknown option", CSV, goodCsv, goodCsv, "--outt", "caviar tune --help")
            .args(List.of("--outt", "x"), List.of()));
  }

  record Run(int exit, String out, String err) {}

  static Run caviar(List<String> args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit =
        Caviar.execute(
            args.toArray(new String[0]), new PrintWriter(out, true), new PrintWriter(err, true));
    return new Run(exit, out.toString(), err.toString());
  }

  private static List<String> tune(Path conf, Path out, List<String> extra) {
    List<String> args =
        new ArrayList<>(List.of("tune", "--conf", conf.toString(), "--out", out.toString()));
    args.addAll(extra);
    return args;
  }

  static Path conf(Path dir, String data) throws IOException {
    return Files.writeString(
        dir.resolve("study.conf"),
        String.join(
            "\n",
            "study { name = bad-input, seed = 3, rounds = [{ trials = 2, epochs = 1 }] }",
            "data { " + data.replace("DIR", dir.toString()) + " }",
            "model { layers = 1, units = 4 }",
            "space { learningRate { scale = log, low = 1e-3, high = 1e-1 } }",
            "execution { layout = broadcast }"));
  }

  /** Exit 2 and one line naming the place, no trace, nothing written. */
  static void assertBadInput(Run r, Path out, List<String> expected, Path dir) throws IOException {
    assertEquals(Caviar.BAD_INPUT, r.exit(), r.err());
    List<String> lines = r.err().strip().lines().toList();
    assertEquals(1, lines.size(), "stderr must be one line:\n" + r.err());
    String line = lines.get(0);
    assertTrue(line.startsWith("caviar: error: "), line);
    for (String part : expected) {
      String want = part.replace("DIR", dir.toString());
      assertTrue(line.contains(want), "'" + want + "' not in: " + line);
    }
    assertFalse(line.contains("Exception") || line.contains("\tat "), line);
    if (Files.exists(out)) {
      try (Stream<Path> s = Files.list(out)) {
        assertEquals(List.of(), s.toList(), "a failed start wrote into " + out);
      }
    }
  }

  @Test
  void anOutputPathThatIsAFileIsBadInputAndTheRerunWithADirectoryThereSucceeds() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("file-out"));
    BadInputFiles.csv(dir.resolve("bad.csv"), null);
    Path conf = conf(dir, CSV);
    Path out = Files.writeString(dir.resolve("out"), "notes");
    Run r = caviar(tune(conf, out, List.of()));
    assertEquals(Caviar.BAD_INPUT, r.exit(), r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertTrue(r.err().contains(out + " is a file, not a directory"), r.err());
    assertEquals("notes", Files.readString(out), "the file must be left as it was");

    Files.delete(out);
    Run fixed = caviar(tune(conf, out, List.of()));
    assertEquals(0, fixed.exit(), fixed.err());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void badInputIsOneLineWritesNothingAndTheFixedRerunSucceeds(Case c) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("case"));
    Path out = dir.resolve("out");
    Path conf = conf(dir, c.data());
    c.bad().write(dir);
    assertBadInput(caviar(tune(conf, out, c.badArgs())), out, c.expected(), dir);

    c.fix().write(dir);
    Run fixed = caviar(tune(conf, out, c.fixArgs()));
    assertEquals(0, fixed.exit(), fixed.err());
    assertTrue(Files.exists(out.resolve("best.json")), fixed.out());
  }
}
