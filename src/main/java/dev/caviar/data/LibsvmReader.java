package dev.caviar.data;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * LIBSVM text: {@code label index:value ...} per line, indices 1-based and ascending, features not
 * listed are 0. Lines that are blank or start with {@code #} are skipped.
 *
 * <p>Parsed here rather than by Spark's {@code libsvm} source, whose errors are a stack of task
 * failures naming neither the file nor the line. The width is the largest index in the training and
 * test files, unless {@code data.features} sets it: a file whose last features are zero in every
 * row cannot show its true width.
 */
final class LibsvmReader {
  private LibsvmReader() {}

  /** One parsed line: the label and the listed (index, value) pairs, indices 0-based. */
  private record Sparse(double label, int[] indices, double[] values) {
    int maxIndex() {
      return indices.length == 0 ? 0 : indices[indices.length - 1] + 1;
    }
  }

  /**
   * The number of features the rows of {@code path} show (one pass over the files), checking every
   * line on the way.
   */
  static int inferWidth(SparkSession spark, String key, String path) {
    HadoopFiles.requireExists(spark, key, path);
    JavaRDD<TextLines.Line> lines = lines(spark, path);
    long[] stats =
        Datasets.action(
            () ->
                lines
                    .map(line -> new long[] {1, parse(line).maxIndex()})
                    .fold(
                        new long[] {0, 0},
                        (a, b) -> new long[] {a[0] + b[0], Math.max(a[1], b[1])}));
    if (stats[0] == 0) {
      throw new DataException(key + ": " + path + ": no rows");
    }
    if (stats[1] < 1) {
      throw new DataException(
          key + ": " + path + ": no row lists a feature; set data.features to the width");
    }
    return Math.toIntExact(stats[1]);
  }

  static RawTable read(SparkSession spark, String key, String path, int width) {
    HadoopFiles.requireExists(spark, key, path);
    JavaRDD<Sourced> rows =
        lines(spark, path)
            .map(
                line -> {
                  Sparse s = parse(line);
                  if (s.maxIndex() > width) {
                    throw new DataException(
                        line.describe()
                            + ": index "
                            + s.maxIndex()
                            + ": must be <= data.features = "
                            + width
                            + ", got "
                            + s.maxIndex());
                  }
                  double[] features = new double[width];
                  for (int k = 0; k < s.indices().length; k++) {
                    features[s.indices()[k]] = s.values()[k];
                  }
                  int label = RowRules.label(s.label(), line::describe);
                  return new Sourced(
                      new Example(Example.contentId(label, features), label, features), line);
                });
    return new RawTable(rows, width, path, null);
  }

  private static JavaRDD<TextLines.Line> lines(SparkSession spark, String path) {
    return TextLines.read(JavaSparkContext.fromSparkContext(spark.sparkContext()), path)
        .filter(line -> !line.text().isBlank() && !line.text().strip().startsWith("#"));
  }

  private static Sparse parse(TextLines.Line line) {
    String[] tokens = line.text().strip().split("\\s+");
    double label = RowRules.number(tokens[0], () -> line.describe() + ": label");
    int[] indices = new int[tokens.length - 1];
    double[] values = new double[tokens.length - 1];
    int previous = 0;
    for (int k = 1; k < tokens.length; k++) {
      String token = tokens[k];
      int colon = token.indexOf(':');
      if (colon < 0) {
        throw new DataException(
            line.describe() + ": feature " + k + ": must be index:value, got '" + token + "'");
      }
      String indexText = token.substring(0, colon);
      int index;
      try {
        index = Integer.parseInt(indexText);
      } catch (NumberFormatException e) {
        index = -1;
      }
      if (index < 1) {
        throw new DataException(
            line.describe()
                + ": feature "
                + k
                + ": index must be an integer >= 1 (indices are 1-based), got '"
                + indexText
                + "'");
      }
      if (index <= previous) {
        throw new DataException(
            line.describe()
                + ": index "
                + index
                + ": indices must be in ascending order, got "
                + index
                + " after "
                + previous);
      }
      int at = index;
      double value =
          RowRules.number(token.substring(colon + 1), () -> line.describe() + ": index " + at);
      if (!Double.isFinite(value)) {
        throw new DataException(
            line.describe()
                + ": index "
                + index
                + ": must be a finite number, got "
                + RowRules.show(value));
      }
      indices[k - 1] = index - 1;
      values[k - 1] = value;
      previous = index;
    }
    return new Sparse(label, indices, values);
  }
}
