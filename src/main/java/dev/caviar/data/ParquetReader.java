package dev.caviar.data;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Parquet: a numeric label column and either one vector column (Spark ML's vector type or an array
 * of numbers) or every other numeric column as one feature each.
 */
final class ParquetReader {
  private static final Logger LOG = LoggerFactory.getLogger(ParquetReader.class);

  private ParquetReader() {}

  static RawTable read(
      SparkSession spark, String key, String path, String labelColumn, String featuresColumn) {
    HadoopFiles.requireExists(spark, key, path);
    Dataset<Row> df;
    try {
      df = spark.read().parquet(path);
    } catch (Exception e) {
      // Scala code throws the checked SparkException without declaring it.
      throw new DataException(
          key + ": " + path + ": cannot be read as Parquet: " + firstLine(rootCause(e)), e);
    }
    List<String> columns = Arrays.asList(df.columns());
    requireColumn("data.labelColumn", labelColumn, columns, path);
    DataType labelType = df.schema().apply(labelColumn).dataType();
    if (!(labelType instanceof NumericType)) {
      throw new DataException(
          "data.labelColumn: '"
              + labelColumn
              + "' in "
              + path
              + " must be numeric, got "
              + labelType.simpleString());
    }
    Column label = col(labelColumn).cast(DataTypes.DoubleType);
    // Each row's file and index in it, so that a message names the row a user can look up.
    Column file = col("_metadata.file_path");
    Column index = col("_metadata.row_index");
    if (featuresColumn != null) {
      requireColumn("data.featuresColumn", featuresColumn, columns, path);
      DataType type = df.schema().apply(featuresColumn).dataType();
      boolean vector = type instanceof VectorUDT;
      boolean numbers = type instanceof ArrayType a && a.elementType() instanceof NumericType;
      if (!vector && !numbers) {
        throw new DataException(
            "data.featuresColumn: '"
                + featuresColumn
                + "' in "
                + path
                + " must be a vector or an array of numbers, got "
                + type.simpleString());
      }
      Column features =
          vector
              ? col(featuresColumn)
              : col(featuresColumn).cast(DataTypes.createArrayType(DataTypes.DoubleType));
      Dataset<Row> selected = df.select(label, features, file, index);
      List<Row> first = Datasets.action(() -> selected.takeAsList(1));
      if (first.isEmpty()) {
        throw new DataException(key + ": " + path + ": no rows");
      }
      String name = "column '" + featuresColumn + "'";
      int width = vectorValues(first.get(0), vector, place(first.get(0), 2), name).length;
      JavaRDD<Sourced> rows =
          selected
              .javaRDD()
              .map(
                  row -> {
                    Sourced.Place where = place(row, 2);
                    double[] values = vectorValues(row, vector, where, name);
                    RowRules.width(values.length, width, () -> where.describe() + ": " + name);
                    return example(where, row, values, labelColumn, j -> name + " value " + j);
                  });
      return new RawTable(rows, width, path, "column '" + labelColumn + "'");
    }
    List<Column> numeric = new ArrayList<>();
    List<String> names = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    for (StructField f : df.schema().fields()) {
      if (f.name().equals(labelColumn)) {
        continue;
      }
      if (f.dataType() instanceof NumericType) {
        numeric.add(col(f.name()).cast(DataTypes.DoubleType));
        names.add(f.name());
      } else {
        skipped.add(f.name() + " " + f.dataType().simpleString());
      }
    }
    if (numeric.isEmpty()) {
      throw new DataException(
          key
              + ": "
              + path
              + ": no numeric feature columns besides '"
              + labelColumn
              + "'; columns are: "
              + String.join(", ", columns)
              + " (or set data.featuresColumn to a vector column)");
    }
    if (!skipped.isEmpty()) {
      LOG.warn("{}: ignoring non-numeric columns {}", path, skipped);
    }
    List<Column> selection = new ArrayList<>();
    selection.add(label);
    selection.add(file);
    selection.add(index);
    selection.addAll(numeric);
    int width = numeric.size();
    String[] featureNames = names.toArray(new String[0]);
    JavaRDD<Sourced> rows =
        df.select(selection.toArray(new Column[0]))
            .javaRDD()
            .map(
                row -> {
                  Sourced.Place where = place(row, 1);
                  double[] values = new double[width];
                  for (int j = 0; j < width; j++) {
                    if (row.isNullAt(j + 3)) {
                      throw new DataException(
                          where.describe()
                              + ": column '"
                              + featureNames[j]
                              + "': must be a number, got null");
                    }
                    values[j] = row.getDouble(j + 3);
                  }
                  return example(
                      where, row, values, labelColumn, j -> "column '" + featureNames[j] + "'");
                });
    return new RawTable(rows, width, path, "column '" + labelColumn + "'");
  }

  /** The file and row index of a row whose {@code _metadata} fields start at {@code at}. */
  private static Sourced.Place place(Row row, int at) {
    return new Sourced.Indexed(
        TextLines.displayName(new org.apache.hadoop.fs.Path(row.getString(at))),
        "row",
        row.getLong(at + 1));
  }

  /** The innermost message: Spark's outer ones are about stages and tasks, not the file. */
  private static String rootCause(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage();
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "(no message)";
    }
    int end = message.indexOf('\n');
    return end < 0 ? message : message.substring(0, end);
  }

  private static void requireColumn(String key, String name, List<String> columns, String path) {
    if (!columns.contains(name)) {
      throw new DataException(
          key
              + ": '"
              + name
              + "' is not a column of "
              + path
              + "; its columns are: "
              + String.join(", ", columns));
    }
  }

  private static double[] vectorValues(Row row, boolean vector, Sourced.Place where, String name) {
    if (row.isNullAt(1)) {
      throw new DataException(where.describe() + ": " + name + ": must hold numbers, got null");
    }
    if (vector) {
      return ((Vector) row.get(1)).toArray();
    }
    List<Object> list = row.getList(1);
    double[] values = new double[list.size()];
    for (int j = 0; j < values.length; j++) {
      Object v = list.get(j);
      if (v == null) {
        throw new DataException(
            where.describe() + ": " + name + " value " + j + ": must be a number, got null");
      }
      values[j] = (Double) v;
    }
    return values;
  }

  private static Sourced example(
      Sourced.Place where,
      Row row,
      double[] features,
      String labelColumn,
      java.util.function.IntFunction<String> column) {
    if (row.isNullAt(0)) {
      throw new DataException(
          where.describe() + ": column '" + labelColumn + "': must be a number, got null");
    }
    double rawLabel = row.getDouble(0);
    int label = RowRules.label(rawLabel, () -> where.describe() + ": column '" + labelColumn + "'");
    RowRules.finite(features, where::describe, column);
    return new Sourced(new Example(Example.contentId(label, features), label, features), where);
  }
}
