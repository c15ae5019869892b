package dev.caviar.data;

import static org.apache.spark.sql.functions.col;

import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructType;

/**
 * A DataFrame as a study's data ({@code data.source = dataframe}): a vector features column and a
 * numeric label column, what a Spark ML {@code Estimator} is given. Its rows pass the same checks
 * and get the same ids as a Parquet file's (a content hash of label and features), so a study of a
 * DataFrame and one of the same rows written to a file split, shard and score alike.
 */
public final class FrameSource {
  /** What messages call the rows. */
  public static final String NAME = "DataFrame";

  private final Dataset<Row> rows;
  private final String featuresCol;
  private final String labelCol;

  private FrameSource(Dataset<Row> rows, String featuresCol, String labelCol) {
    this.rows = rows;
    this.featuresCol = featuresCol;
    this.labelCol = labelCol;
  }

  /**
   * The rows of {@code frame}'s two columns, checked now as far as its schema goes.
   *
   * @throws DataException naming the param and column when the schema does not fit
   */
  public static FrameSource of(Dataset<?> frame, String featuresCol, String labelCol) {
    checkSchema(frame.schema(), featuresCol, labelCol);
    return new FrameSource(
        frame.select(col(labelCol).cast(DataTypes.DoubleType), col(featuresCol)),
        featuresCol,
        labelCol);
  }

  /**
   * The columns a study reads must exist, the features be a vector and the label numeric.
   *
   * @throws DataException whose message starts with the param ({@code featuresCol}, {@code
   *     labelCol}) and names the column
   */
  public static void checkSchema(StructType schema, String featuresCol, String labelCol) {
    List<String> names = Arrays.asList(schema.fieldNames());
    require(names, "featuresCol", featuresCol);
    require(names, "labelCol", labelCol);
    DataType features = schema.apply(featuresCol).dataType();
    if (!(features instanceof VectorUDT)) {
      throw new DataException(
          "featuresCol: column '"
              + featuresCol
              + "' must be a vector (e.g. from VectorAssembler), got "
              + features.simpleString());
    }
    DataType label = schema.apply(labelCol).dataType();
    if (!(label instanceof NumericType)) {
      throw new DataException(
          "labelCol: column '"
              + labelCol
              + "' must be numeric (the classes 0..C-1), got "
              + label.simpleString());
    }
  }

  private static void require(List<String> names, String param, String column) {
    if (!names.contains(column)) {
      throw new DataException(
          param + ": column '" + column + "' does not exist; the columns are " + names);
    }
  }

  /** The checked rows (lazily: the checks run with the first Spark action). */
  RawTable read() {
    List<Row> first = Datasets.action(() -> rows.takeAsList(1));
    if (first.isEmpty()) {
      throw new DataException(NAME + ": no rows (featuresCol '" + featuresCol + "')");
    }
    String features = "column '" + featuresCol + "'";
    String label = "column '" + labelCol + "'";
    int width = values(first.get(0), features, null).length;
    JavaRDD<Sourced> sourced =
        rows.javaRDD()
            .map(
                row -> {
                  double[] values = values(row, features, row);
                  Sourced.Place where =
                      new FrameRow(row.isNullAt(0) ? null : row.getDouble(0), values);
                  RowRules.width(values.length, width, () -> where.describe() + ": " + features);
                  if (row.isNullAt(0)) {
                    throw new DataException(
                        where.describe() + ": " + label + ": must be a number, got null");
                  }
                  int y = RowRules.label(row.getDouble(0), () -> where.describe() + ": " + label);
                  RowRules.finite(values, where::describe, j -> features + " value " + j);
                  return new Sourced(new Example(Example.contentId(y, values), y, values), where);
                });
    return new RawTable(sourced, width, NAME, label);
  }

  private static double[] values(Row row, String features, Row whole) {
    if (row.isNullAt(1)) {
      String where =
          whole == null || whole.isNullAt(0)
              ? NAME
              : new FrameRow(whole.getDouble(0), new double[0]).describe();
      throw new DataException(where + ": " + features + ": must hold a vector, got null");
    }
    return ((Vector) row.get(1)).toArray();
  }

  /**
   * A DataFrame row has no file or line: a message shows its label and first values, enough to find
   * it with a filter.
   */
  record FrameRow(Double label, double[] features) implements Sourced.Place {
    private static final int SHOWN = 5;

    @Override
    public String describe() {
      StringBuilder b = new StringBuilder(NAME).append(" row (label ");
      b.append(label == null ? "null" : RowRules.show(label)).append(", features [");
      for (int j = 0; j < Math.min(SHOWN, features.length); j++) {
        b.append(j == 0 ? "" : ", ").append(RowRules.show(features[j]));
      }
      return b.append(features.length > SHOWN ? ", ...])" : "])").toString();
    }
  }
}
