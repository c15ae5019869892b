package dev.caviar.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.caviar.config.WatchSpec;
import dev.caviar.spark.SharedSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The watch on a real Structured Streaming query: a drifting stream is noticed, re-tuned and
 * recovered from; a steady one fires no drop; bad files are set aside and the stream goes on.
 */
@Tag("spark")
@Tag("slow")
class WatchTest {
  @TempDir Path tmp;

  private static SparkSession spark() {
    return SharedSpark.session();
  }

  @Test
  void aConceptShiftIsNoticedReTunedAndRecoveredFrom() throws Exception {
    Path in = tmp.resolve("in");
    Path out = tmp.resolve("watch");
    // 6 files before the shift, 9 after: the labels rotate at row 1200. The first model comes
    // after batch 1, a re-tune every 3 batches (600 rows) after that.
    WatchSpec spec = WatchStreams.spec(WatchStreams.config(in, out, 6 * WatchStreams.ROWS, 600));
    WatchStreams.feed(spec, in, 0, 15);
    Watch.run(spark(), spec, true, WatchStreams.printing());

    List<Map<String, String>> monitor = csv(out.resolve("monitor.csv"));
    assertEquals(15, monitor.size(), "one monitor row per batch");
    for (int b = 0; b < 15; b++) {
      assertEquals(Long.toString(b), monitor.get(b).get("batch"));
    }
    double before = mean(monitor, 3, 6);
    double shifted = Double.parseDouble(monitor.get(6).get("accuracy"));
    double after = mean(monitor, 12, 15);
    assertTrue(before > 0.9, "pre-shift accuracy " + before);
    assertTrue(shifted < 0.5, "the shift is seen: accuracy " + shifted + " on its first batch");
    // The drop is seen on the shift's first batch; the re-tune waits for watch.minRows = 400 rows
    // of the new concept, so it fires after the second, on those two batches.
    assertEquals("none", monitor.get(6).get("reason"));
    assertTrue(Double.parseDouble(monitor.get(6).get("recentAccuracy")) < 0.6);
    assertEquals("drop", monitor.get(7).get("reason"), "the drop rule fires on the shift");
    assertTrue(after > before - 0.02, "recovered to " + after + " from " + before);

    List<Map<String, String>> versions = csv(out.resolve("versions.csv"));
    List<String> numbers = versions.stream().map(v -> v.get("version")).toList();
    List<String> expected = new ArrayList<>();
    for (int v = 1; v <= versions.size(); v++) {
      expected.add(Integer.toString(v));
    }
    assertEquals(expected, numbers, "versions are contiguous");
    assertEquals("first", versions.get(0).get("reason"));
    assertTrue(versions.stream().anyMatch(v -> v.get("reason").equals("drop")));
    String current = Files.readString(out.resolve("models/CURRENT")).strip();
    assertEquals(String.format("v%04d", versions.size()), current);
    for (int v = 1; v <= versions.size(); v++) {
      assertTrue(
          Files.isDirectory(out.resolve(String.format("models/v%04d/metadata", v))), "v" + v);
    }
    // The Parquet table holds the same batches.
    List<Row> parquet =
        spark().read().parquet(out.resolve("monitor").toString()).orderBy("batch").collectAsList();
    assertEquals(15, parquet.size());

    // The scoring side: the current model on unlabelled rows, through the CURRENT pointer.
    Path unlabelled = tmp.resolve("unlabelled.csv");
    String rows = Files.readString(in.resolve("part-00014.csv"));
    Files.writeString(
        unlabelled,
        rows.lines().map(l -> l.substring(l.indexOf(',') + 1)).collect(Collectors.joining("\n"))
            + "\n");
    long scored =
        Scoring.run(
            spark(),
            new Scoring.Request(
                out.resolve("models/CURRENT").toString(),
                unlabelled.toString(),
                tmp.resolve("scored").toString(),
                "csv",
                null,
                false,
                false));
    assertEquals(WatchStreams.ROWS, scored);
    // And as a stream: TunedModel.transform on a streaming DataFrame, stopped once caught up.
    Path incoming = Files.createDirectories(tmp.resolve("incoming"));
    Files.copy(unlabelled, incoming.resolve("a.csv"));
    String streamed = tmp.resolve("streamed").toString();
    Scoring.run(
        spark(),
        new Scoring.Request(
            out.resolve("models/CURRENT").toString(),
            incoming.toString(),
            streamed,
            "csv",
            null,
            true,
            true));
    List<Row> predictions = spark().read().parquet(streamed).select("prediction").collectAsList();
    assertEquals(WatchStreams.ROWS, predictions.size());
  }

  @Test
  void aSteadyStreamFiresNoDropAndBadFilesAreSetAside() throws Exception {
    Path in = tmp.resolve("in");
    Path out = tmp.resolve("watch");
    WatchSpec spec = WatchStreams.spec(WatchStreams.config(in, out, 0, 0));
    List<Path> files = WatchStreams.feed(spec, in, 0, 8);
    String good = Files.readString(files.get(5));
    String[] lines = good.split("\n");
    // Three bad files among the good ones: a short row, a NaN, a label the model has no class for.
    WatchStreams.write(
        in, 3, good.replace(lines[7], lines[7].substring(0, lines[7].lastIndexOf(','))));
    WatchStreams.write(in, 5, good.replace(lines[9], lines[9].replaceFirst(",[^,]*$", ",NaN")));
    WatchStreams.write(in, 7, good.replace(lines[11], "7" + lines[11].substring(1)));
    Watch.run(spark(), spec, true, WatchStreams.printing());

    List<Map<String, String>> monitor = csv(out.resolve("monitor.csv"));
    assertEquals(8, monitor.size());
    assertTrue(monitor.stream().noneMatch(m -> m.get("reason").equals("drop")), monitor.toString());
    List<Map<String, String>> rejected = csv(out.resolve("rejected.csv"));
    assertEquals(3, rejected.size(), rejected.toString());
    assertTrue(rejected.get(0).get("file").endsWith("part-00003.csv"));
    assertTrue(
        rejected.get(0).get("reason").contains("part-00003.csv:8"), rejected.get(0).get("reason"));
    assertTrue(rejected.get(1).get("reason").contains("NaN"), rejected.get(1).get("reason"));
    assertTrue(rejected.get(2).get("reason").contains("label"), rejected.get(2).get("reason"));
    // The stream went on after each: the batches after the bad files were scored.
    assertTrue(monitor.get(6).get("accuracy").length() > 0, monitor.get(6).toString());
    assertEquals("0", monitor.get(7).get("rows"));
    assertEquals("1", monitor.get(7).get("rejectedFiles"));
  }

  private static double mean(List<Map<String, String>> monitor, int from, int to) {
    double s = 0;
    for (int b = from; b < to; b++) {
      s += Double.parseDouble(monitor.get(b).get("accuracy"));
    }
    return s / (to - from);
  }

  /** A CSV with a header as maps; cells hold no commas in these tables except a reason's. */
  static List<Map<String, String>> csv(Path p) throws Exception {
    List<String> lines = Files.readAllLines(p);
    String[] header = lines.get(0).split(",");
    List<Map<String, String>> out = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      List<String> cells = parseLine(line);
      Map<String, String> row = new java.util.LinkedHashMap<>();
      for (int i = 0; i < header.length; i++) {
        row.put(header[i], i < cells.size() ? cells.get(i) : "");
      }
      out.add(row);
    }
    return out;
  }

  private static List<String> parseLine(String line) {
    List<String> cells = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '"') {
        if (quoted && i + 1 < line.length() && line.charAt(i + 1) == '"') {
          cur.append('"');
          i++;
        } else {
          quoted = !quoted;
        }
      } else if (c == ',' && !quoted) {
        cells.add(cur.toString());
        cur.setLength(0);
      } else {
        cur.append(c);
      }
    }
    cells.add(cur.toString());
    return cells;
  }
}
