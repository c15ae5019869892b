package dev.caviar.data;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.input_file_name;

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
    Dataset<Row> df = spark.read().parquet(path);
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
    Column file = input_file_name();
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
      Dataset<Row> selected = df.select(label, features, file);
      Row first = selected.first();
      if (first == null) {
        throw new DataException(key + ": " + path + ": no rows");
      }
      int width = vectorValues(first, vector, path).length;
      JavaRDD<Example> rows =
          selected
              .javaRDD()
              .map(
                  row -> {
                    double[] values = vectorValues(row, vector, row.getString(2));
                    return example(
                        row.getString(2), row, values, width, labelColumn, featuresColumn, null);
                  });
      return new RawTable(rows, width, path);
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
    selection.addAll(numeric);
    int width = numeric.size();
    String[] featureNames = names.toArray(new String[0]);
    JavaRDD<Example> rows =
        df.select(selection.toArray(new Column[0]))
            .javaRDD()
            .map(
                row -> {
                  double[] values = new double[width];
                  for (int j = 0; j < width; j++) {
                    if (row.isNullAt(j + 2)) {
                      throw new DataException(
                          row.getString(1)
                              + ": row with label "
                              + row.get(0)
                              + ": column '"
                              + featureNames[j]
                              + "' must be a number, got null");
                    }
                    values[j] = row.getDouble(j + 2);
                  }
                  return example(
                      row.getString(1), row, values, width, labelColumn, null, featureNames);
                });
    return new RawTable(rows, width, path);
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

  private static double[] vectorValues(Row row, boolean vector, String file) {
    if (row.isNullAt(1)) {
      throw new DataException(file + ": row with label " + row.get(0) + ": features are null");
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
            file + ": row with label " + row.get(0) + ": feature " + j + " is null");
      }
      values[j] = (Double) v;
    }
    return values;
  }

  private static Example example(
      String file,
      Row row,
      double[] features,
      int width,
      String labelColumn,
      String featuresColumn,
      String[] featureNames) {
    if (row.isNullAt(0)) {
      throw new DataException(
          file + ": row with features " + RowRules.preview(features) + ": label is null");
    }
    double rawLabel = row.getDouble(0);
    String where =
        file + ": row with label " + rawLabel + " and features " + RowRules.preview(features);
    RowRules.width(features.length, width, () -> where + ": column '" + featuresColumn + "'");
    int label = RowRules.label(rawLabel, () -> where + ": column '" + labelColumn + "'");
    RowRules.finite(features, () -> where, featureNames == null ? null : () -> featureNames);
    return new Example(Example.contentId(label, features), label, features);
  }
}
