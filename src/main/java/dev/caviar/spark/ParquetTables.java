package dev.caviar.spark;

import dev.caviar.report.Column;
import dev.caviar.report.FlatTable;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Writes a results table as Parquet. The columns are declared in {@code report} ({@link
 * FlatTable}); this adapter only maps their types to Spark's, so no column is named here.
 */
public final class ParquetTables {
  private ParquetTables() {}

  /** One Parquet file (a single partition) at {@code path}, which must not exist. */
  public static void write(SparkSession spark, FlatTable table, String path) {
    spark
        .createDataFrame(rows(table), schema(table))
        .coalesce(1)
        .write()
        .mode(SaveMode.ErrorIfExists)
        .parquet(path);
  }

  static StructType schema(FlatTable table) {
    List<StructField> fields = new ArrayList<>();
    for (FlatTable.Field f : table.fields()) {
      fields.add(new StructField(f.name(), sparkType(f.type()), f.nullable(), Metadata.empty()));
    }
    return new StructType(fields.toArray(new StructField[0]));
  }

  static List<Row> rows(FlatTable table) {
    List<Row> rows = new ArrayList<>();
    for (List<Object> cells : table.rows()) {
      Object[] v = new Object[cells.size()];
      for (int i = 0; i < v.length; i++) {
        v[i] = cell(table.fields().get(i).type(), cells.get(i));
      }
      rows.add(RowFactory.create(v));
    }
    return rows;
  }

  private static DataType sparkType(Column.Type type) {
    return switch (type) {
      case INT -> DataTypes.IntegerType;
      case LONG -> DataTypes.LongType;
      case DOUBLE -> DataTypes.DoubleType;
      case BOOLEAN -> DataTypes.BooleanType;
      case STRING -> DataTypes.StringType;
    };
  }

  // A hyperparameter column is typed by its first value; a later value of another kind is left
  // empty rather than failing the round's write.
  private static Object cell(Column.Type type, Object v) {
    if (v == null) {
      return null;
    }
    return switch (type) {
      case INT -> v instanceof Number n ? n.intValue() : null;
      case LONG -> v instanceof Number n ? n.longValue() : null;
      case DOUBLE -> v instanceof Number n ? n.doubleValue() : null;
      case BOOLEAN -> v instanceof Boolean b ? b : null;
      case STRING -> v.toString();
    };
  }
}
