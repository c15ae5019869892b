package dev.caviar.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.caviar.spark.SharedSpark;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The quickstart study's outputs, file by file, against a checked-in fixture made by an earlier
 * build: a refactoring of the writers, readers or the report must leave every output as it was.
 * Only timings, versions and the temporary directory's name are masked; charts are compared by the
 * SHA-256 of their PNG bytes, Parquet tables by their schema and rows (their file names hold random
 * ids), and the saved model not at all (its metadata holds a timestamp; best.json holds its test
 * score).
 *
 * <p>A change that is meant to alter outputs (numerics of the engine, a new column) regenerates the
 * fixture, and the diff of {@code src/test/resources/golden/} shows what changed:
 *
 * <pre>
 * mvn -B -o test -Dtest=GoldenOutputsTest -Dcaviar.golden.update=true
 * </pre>
 */
@Tag("spark")
@Tag("slow")
class GoldenOutputsTest {
  static final Path FIXTURE = Path.of("src/test/resources/golden/quickstart");
  private static final Pattern PNG = Pattern.compile("data:image/png;base64,([A-Za-z0-9+/=]+)");
  private static final Pattern TIMING =
      Pattern.compile("(\"(?:trainingNanos|trainingSeconds)\" ?: ?)[-0-9.Ee]+");

  // show's last two columns: the share of cores busy and the driver's time between rounds.
  private static final Pattern SHOW_TIMING = Pattern.compile("\\d+%\\s+\\d+ ms *");

  @TempDir Path tmp;

  @Test
  void theQuickstartStudyWritesTheSameOutputsAsTheFixture() throws IOException {
    SparkSession spark = SharedSpark.session();
    Path out = tmp.resolve("quickstart");
    CaviarCliTest.Run tune =
        CaviarCliTest.caviar("tune", "--conf", "conf/quickstart.conf", "--out", out.toString());
    assertEquals(0, tune.exit(), tune.err());
    CaviarCliTest.Run show = CaviarCliTest.caviar("show", out.toString());
    assertEquals(0, show.exit(), show.err());

    Map<String, String> actual = outputs(spark, out);
    actual.put("show.txt", SHOW_TIMING.matcher(masked(show.out(), out)).replaceAll("(timing)"));
    if (Boolean.getBoolean("caviar.golden.update")) {
      write(actual);
      return;
    }
    Map<String, String> expected = fixture();
    // Scores are bit-exact only under one BLAS (native OpenBLAS and the Java fallback round
    // differently): say which one differs before any score does.
    assertEquals(
        blasOf(expected.get("data.json")),
        blasOf(actual.get("data.json")),
        "the BLAS the fixture was made with (jobs/test installs libopenblas0-pthread)");
    assertEquals(expected.keySet(), actual.keySet(), "the files of the study directory");
    for (Map.Entry<String, String> e : expected.entrySet()) {
      assertEquals(e.getValue(), actual.get(e.getKey()), e.getKey());
    }
  }

  private static String blasOf(String dataJson) throws IOException {
    return new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(dataJson)
        .path("blas")
        .asText();
  }

  /** Every output file, masked, by its path relative to the study directory. */
  private static Map<String, String> outputs(SparkSession spark, Path out) throws IOException {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> all = Files.walk(out)) {
      for (Path p : (Iterable<Path>) all::iterator) {
        String rel = out.relativize(p).toString().replace('\\', '/');
        String name = p.getFileName().toString();
        if (rel.isEmpty() || rel.startsWith("model") || name.startsWith(".")) {
          continue;
        }
        if (name.endsWith(".parquet") && Files.isDirectory(p)) {
          files.put(rel + ".txt", parquet(spark, p));
        } else if (Files.isDirectory(p)
            || rel.contains(".parquet/")
            || name.equals("versions.json")
            || name.equals("timing.json")) {
          continue;
        } else {
          String text = Files.readString(p, StandardCharsets.UTF_8);
          if (name.equals("replicates.csv")) {
            text = maskCsvColumn(text, "trainingMillis");
          }
          files.put(rel, masked(text, out));
        }
      }
    }
    return files;
  }

  private static String masked(String text, Path out) {
    String t = text.replace(out.toUri().toString(), "$OUT/").replace(out.toString(), "$OUT");
    t = TIMING.matcher(t).replaceAll("$1\"(timing)\"");
    Matcher m = PNG.matcher(t);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(sb, "png-sha256:" + sha256(m.group(1)));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  private static String maskCsvColumn(String csv, String column) {
    String[] lines = csv.split("\n", -1);
    int col = List.of(lines[0].split(",")).indexOf(column);
    StringBuilder sb = new StringBuilder(lines[0]);
    for (int i = 1; i < lines.length; i++) {
      sb.append('\n');
      if (lines[i].isEmpty()) {
        continue;
      }
      // The column sits before the last (free-text) one, so a plain split reaches it.
      String[] cells = lines[i].split(",", col + 2);
      cells[col] = "(timing)";
      sb.append(String.join(",", cells));
    }
    return sb.toString();
  }

  private static String parquet(SparkSession spark, Path dir) {
    Dataset<Row> df = spark.read().parquet(dir.toString());
    String[] columns = df.columns();
    StringBuilder sb = new StringBuilder(df.schema().toDDL()).append('\n');
    for (Row r : df.collectAsList()) {
      List<String> cells = new ArrayList<>();
      for (int i = 0; i < columns.length; i++) {
        cells.add(columns[i].equals("trainingMillis") ? "(timing)" : String.valueOf(r.get(i)));
      }
      sb.append(String.join(",", cells)).append('\n');
    }
    return sb.toString();
  }

  private static Map<String, String> fixture() throws IOException {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> all = Files.walk(FIXTURE)) {
      for (Path p : (Iterable<Path>) all::iterator) {
        if (Files.isRegularFile(p)) {
          files.put(
              FIXTURE.relativize(p).toString().replace('\\', '/'),
              Files.readString(p, StandardCharsets.UTF_8));
        }
      }
    }
    return files;
  }

  private static void write(Map<String, String> files) throws IOException {
    if (Files.exists(FIXTURE)) {
      try (Stream<Path> all = Files.walk(FIXTURE)) {
        for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
    for (Map.Entry<String, String> e : files.entrySet()) {
      Path p = FIXTURE.resolve(e.getKey());
      Files.createDirectories(p.getParent());
      Files.writeString(p, e.getValue(), StandardCharsets.UTF_8);
    }
  }

  private static String sha256(String base64) {
    try {
      byte[] png = java.util.Base64.getDecoder().decode(base64);
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(png));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
