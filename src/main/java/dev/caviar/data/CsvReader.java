package dev.caviar.data;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * CSV: one label column and numeric features in every other column, comma-separated, one row per
 * line.
 *
 * <p>The lines are split and parsed here rather than by Spark's CSV source, which cannot say on
 * which line a bad row sits, pads short rows with nulls and drops the extra values of long ones
 * without a word. Surrounding spaces and double quotes around a value are ignored; a quoted value
 * holding a comma is not supported (numbers never need one). Blank lines are skipped.
 */
final class CsvReader {
  private CsvReader() {}

  static RawTable read(
      SparkSession spark, String key, String path, boolean header, String labelColumn) {
    HadoopFiles.requireExists(spark, key, path);
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    String first;
    try {
      first = TextLines.firstLine(jsc.hadoopConfiguration(), path);
    } catch (IOException e) {
      throw new DataException(key + ": " + path + ": cannot be read: " + e.getMessage(), e);
    }
    if (first == null || first.isBlank()) {
      throw new DataException(key + ": " + path + ": no rows");
    }
    String[] firstValues = fields(first);
    int n = firstValues.length;
    String[] columns = new String[n];
    for (int j = 0; j < n; j++) {
      columns[j] = header ? "column '" + firstValues[j] + "'" : "column " + j;
    }
    int labelIndex = labelIndex(firstValues, header, labelColumn, path);
    if (n < 2) {
      throw new DataException(
          key
              + ": "
              + path
              + ": needs a label column and at least one feature column, got 1 column");
    }
    String labelName = columns[labelIndex];
    JavaRDD<Sourced> rows =
        TextLines.read(jsc, path)
            // Every file of a directory starts with its own header line.
            .filter(line -> !line.text().isBlank() && !(header && line.number() == 1))
            .map(line -> parse(line, columns, labelIndex, labelName));
    return new RawTable(rows, n - 1, path, labelName);
  }

  private static String[] fields(String line) {
    String[] v = line.split(",", -1);
    for (int j = 0; j < v.length; j++) {
      String s = v[j].strip();
      if (s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")) {
        s = s.substring(1, s.length() - 1).strip();
      }
      v[j] = s;
    }
    return v;
  }

  /**
   * With a header the label column is named; without one it is a 0-based index ({@code _c3}, the
   * name Spark gives the fourth column, is accepted too).
   */
  private static int labelIndex(String[] first, boolean header, String labelColumn, String path) {
    if (header) {
      int i = Arrays.asList(first).indexOf(labelColumn);
      if (i >= 0) {
        return i;
      }
    } else {
      String index = labelColumn.startsWith("_c") ? labelColumn.substring(2) : labelColumn;
      if (index.matches("\\d{1,9}") && Integer.parseInt(index) < first.length) {
        return Integer.parseInt(index);
      }
    }
    List<String> names = new ArrayList<>();
    for (int j = 0; j < first.length; j++) {
      names.add(header ? first[j] : String.valueOf(j));
    }
    throw new DataException(
        "data.labelColumn: '"
            + labelColumn
            + "' is not a column of "
            + path
            + (header
                ? "; its columns are: " + String.join(", ", names)
                : " (data.header = false: name the label column by its 0-based index, 0.."
                    + (first.length - 1)
                    + ")"));
  }

  private static Sourced parse(
      TextLines.Line line, String[] columns, int labelIndex, String labelName) {
    String[] text = fields(line.text());
    int n = columns.length;
    if (text.length != n) {
      throw new DataException(
          line.describe()
              + ": row must hold "
              + n
              + " comma-separated values (one per column of the first line), got "
              + text.length);
    }
    double[] features = new double[n - 1];
    double label = Double.NaN;
    for (int j = 0, f = 0; j < n; j++) {
      int column = j;
      double v = RowRules.number(text[j], () -> line.describe() + ": " + columns[column]);
      if (j == labelIndex) {
        label = v;
      } else {
        features[f++] = v;
      }
    }
    int cls = RowRules.label(label, () -> line.describe() + ": " + labelName);
    RowRules.finite(features, line::describe, f -> columns[f < labelIndex ? f : f + 1]);
    return new Sourced(new Example(Example.contentId(cls, features), cls, features), line);
  }
}
