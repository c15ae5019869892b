package dev.caviar.data;

import static org.apache.spark.sql.functions.input_file_name;

import java.util.Arrays;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * CSV: one label column and numeric features in every other column.
 *
 * <p>Every column is read as text and parsed here, and rows with the wrong number of values go to a
 * corrupt-record column: Spark's permissive mode would otherwise pad short rows with nulls and drop
 * the extra values of long ones without a word.
 */
final class CsvReader {
  private static final String CORRUPT = "_caviar_corrupt_record";
  private static final String FILE = "_caviar_file";

  private CsvReader() {}

  static RawTable read(
      SparkSession spark, String key, String path, boolean header, String labelColumn) {
    HadoopFiles.requireExists(spark, key, path);
    // Without schema inference this reads only the first line.
    String[] columns = spark.read().option("header", header).csv(path).columns();
    if (columns.length == 0) {
      throw new DataException(key + ": " + path + ": no rows");
    }
    int labelIndex = labelIndex(columns, header, labelColumn, path);
    if (columns.length < 2) {
      throw new DataException(
          key
              + ": "
              + path
              + ": needs a label column and at least one feature column, got 1 column");
    }
    StructType schema = new StructType();
    for (String c : columns) {
      schema = schema.add(c, DataTypes.StringType, true);
    }
    schema = schema.add(CORRUPT, DataTypes.StringType, true);
    Dataset<Row> df =
        spark
            .read()
            .schema(schema)
            .option("header", header)
            .option("mode", "PERMISSIVE")
            .option("columnNameOfCorruptRecord", CORRUPT)
            .csv(path)
            .withColumn(FILE, input_file_name());
    int n = columns.length;
    String[] names = columns.clone();
    String labelName = columns[labelIndex];
    JavaRDD<Example> rows = df.javaRDD().map(row -> parse(row, n, labelIndex, names, labelName));
    return new RawTable(rows, n - 1, path);
  }

  private static int labelIndex(String[] columns, boolean header, String labelColumn, String path) {
    int i = Arrays.asList(columns).indexOf(labelColumn);
    if (i >= 0) {
      return i;
    }
    if (!header && labelColumn.matches("\\d+") && Integer.parseInt(labelColumn) < columns.length) {
      return Integer.parseInt(labelColumn);
    }
    throw new DataException(
        "data.labelColumn: '"
            + labelColumn
            + "' is not a column of "
            + path
            + "; its columns are: "
            + String.join(", ", columns)
            + (header ? "" : " (no header: name a column by its 0-based index)"));
  }

  private static Example parse(Row row, int n, int labelIndex, String[] names, String labelName) {
    String file = row.getString(n + 1);
    String corrupt = row.getString(n);
    if (corrupt != null) {
      int values = corrupt.split(",", -1).length;
      throw new DataException(
          file
              + ": row '"
              + corrupt
              + "': has "
              + values
              + " values, expected "
              + n
              + " (one per column of the first row)");
    }
    String[] text = new String[n];
    for (int j = 0; j < n; j++) {
      text[j] = row.getString(j);
    }
    String where = file + ": row '" + String.join(",", Arrays.asList(text)) + "'";
    double[] features = new double[n - 1];
    double label = Double.NaN;
    for (int j = 0, f = 0; j < n; j++) {
      double v = number(text[j], names[j], where);
      if (j == labelIndex) {
        label = v;
      } else {
        features[f++] = v;
      }
    }
    int cls = RowRules.label(label, () -> where + ": column '" + labelName + "'");
    String[] featureNames = new String[n - 1];
    for (int j = 0, f = 0; j < n; j++) {
      if (j != labelIndex) {
        featureNames[f++] = names[j];
      }
    }
    RowRules.finite(features, () -> where, () -> featureNames);
    return new Example(Example.contentId(cls, features), cls, features);
  }

  private static double number(String text, String column, String where) {
    if (text == null || text.isBlank()) {
      throw new DataException(where + ": column '" + column + "' must be a number, got no value");
    }
    try {
      return Double.parseDouble(text.trim());
    } catch (NumberFormatException e) {
      throw new DataException(
          where + ": column '" + column + "' must be a number, got '" + text + "'");
    }
  }
}
