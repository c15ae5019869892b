package dev.caviar.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.caviar.spark.SharedSpark;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Line numbers are right in every split: a split that starts a file counts its lines, one in the
 * middle of a file counts the file up to its offset (the path only error messages take).
 */
@Tag("spark")
class TextLinesTest {
  private static final String MAX_SPLIT = "mapreduce.input.fileinputformat.split.maxsize";

  @TempDir Path dir;

  @Test
  void everyLineKnowsItsNumberAcrossSplitsAndFiles() throws Exception {
    List<String> a = new ArrayList<>();
    for (int i = 1; i <= 600; i++) {
      a.add(i % 50 == 0 ? "" : "a" + i + ",some padding to make the file longer");
    }
    DataFiles.text(dir.resolve("a.csv"), a);
    DataFiles.text(dir.resolve("b.csv"), List.of("b1", "b2", "b3"));
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(SharedSpark.session().sparkContext());
    Configuration conf = jsc.hadoopConfiguration();
    String before = conf.get(MAX_SPLIT);
    conf.set(MAX_SPLIT, "4096");
    List<TextLines.Line> lines;
    try {
      lines = TextLines.read(jsc, dir.toString()).collect();
    } finally {
      if (before == null) {
        conf.unset(MAX_SPLIT);
      } else {
        conf.set(MAX_SPLIT, before);
      }
    }
    assertEquals(603, lines.size());
    boolean middle = false;
    for (TextLines.Line line : lines) {
      middle |= line.number() < 0;
      String text = line.text();
      if (text.isEmpty()) {
        assertEquals(0, line.lineNumber() % 50, line.describe());
      } else {
        String number = text.substring(1).split(",")[0];
        assertEquals(Long.parseLong(number), line.lineNumber(), text);
        assertTrue(line.describe().endsWith(text.charAt(0) + ".csv:" + number), line.describe());
      }
    }
    assertTrue(middle, "no split started in the middle of a file: the test proves nothing");
  }
}
