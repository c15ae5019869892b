package dev.caviar.data;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.caviar.config.DataSpec;
import dev.caviar.spark.SharedSpark;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each kind of bad input fails with one message naming the file, the row, the rule and the value.
 */
@Tag("spark")
class DataErrorsTest {
  private final SparkSession spark = SharedSpark.session();
  @TempDir Path dir;

  private String fails(DataSpec spec) {
    DataException e = assertThrows(DataException.class, () -> Datasets.load(spark, spec, 1, 2));
    return e.getMessage();
  }

  private static void assertMentions(String message, String... parts) {
    for (String part : parts) {
      assertTrue(message.contains(part), "'" + part + "' not in: " + message);
    }
  }

  /** A CSV with a header {@code x1,x2,y} and 20 good rows, then the given lines. */
  private String csv(String name, String... extra) throws Exception {
    List<String> lines = new ArrayList<>(List.of("x1,x2,y"));
    for (int i = 0; i < 20; i++) {
      lines.add(i + "," + (i * i) + "," + (i % 2));
    }
    lines.addAll(List.of(extra));
    return DataFiles.text(dir.resolve(name), lines).toString();
  }

  @Test
  void missingPath() {
    String path = dir.resolve("nowhere.csv").toString();
    assertMentions(
        fails(DataFiles.csv(path, null, "y", true)),
        "data.path",
        path,
        "no such file or directory");
  }

  @Test
  void emptyData() throws Exception {
    String path = DataFiles.text(dir.resolve("empty.csv"), List.of("x1,x2,y")).toString();
    assertMentions(fails(DataFiles.csv(path, null, "y", true)), path, "no rows");
    String svm = DataFiles.text(dir.resolve("empty.svm"), List.of()).toString();
    assertMentions(fails(DataFiles.libsvm(svm, null)), "data.path", svm, "no rows");
  }

  @Test
  void nonFiniteFeatureNamesFileRowColumnAndValue() throws Exception {
    String path = csv("nan.csv", "3,NaN,1");
    assertMentions(
        fails(DataFiles.csv(path, null, "y", true)),
        "nan.csv:22: column 'x2': must be a finite number, got NaN");
  }

  @Test
  void rowOfTheWrongWidth() throws Exception {
    String path = csv("wide.csv", "1,2,3,4");
    assertMentions(
        fails(DataFiles.csv(path, null, "y", true)),
        "wide.csv:22: row must hold 3 comma-separated values (one per column of the first line),"
            + " got 4");
  }

  @Test
  void labelThatIsNotAnInteger() throws Exception {
    String path = csv("frac.csv", "1,2,1.5");
    assertMentions(
        fails(DataFiles.csv(path, null, "y", true)),
        "frac.csv:22: column 'y': label must be an integer class 0..C-1, got 1.5");
  }

  @Test
  void negativeLibsvmLabel() throws Exception {
    String path =
        DataFiles.text(dir.resolve("neg.svm"), List.of("1 1:2", "0 1:3", "-1 1:4 2:5")).toString();
    assertMentions(
        fails(DataFiles.libsvm(path, null)),
        "neg.svm:3: label must be an integer class 0..C-1, got -1");
  }

  @Test
  void testLabelOutsideTheTrainingClasses() throws Exception {
    String train = csv("train.csv");
    String test =
        DataFiles.text(dir.resolve("test.csv"), List.of("x1,x2,y", "1,2,0", "3,4,5")).toString();
    assertMentions(
        fails(DataFiles.csv(train, test, "y", true)),
        "test.csv:3: column 'y': label must be a class of the training data, 0..1, got 5");
  }

  @Test
  void labelColumnThatDoesNotExistListsTheColumns() throws Exception {
    String path = csv("cols.csv");
    assertMentions(
        fails(DataFiles.csv(path, null, "label", true)),
        "data.labelColumn",
        "'label' is not a column of",
        "cols.csv",
        "x1, x2, y");
  }

  @Test
  void parquetLabelColumnAndInfiniteVectorValue() {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      rows.add(RowFactory.create(i % 2, Vectors.dense(i, i == 7 ? Double.POSITIVE_INFINITY : 1)));
    }
    String path = dir.resolve("inf.parquet").toString();
    spark
        .createDataFrame(
            rows,
            new StructType()
                .add("target", DataTypes.IntegerType)
                .add("v", SQLDataTypes.VectorType()))
        .write()
        .parquet(path);
    assertMentions(
        fails(DataFiles.parquet(path, "y", "v")), "data.labelColumn", "'y'", "target, v");
    assertMentions(
        fails(DataFiles.parquet(path, "target", "v")),
        "inf.parquet/part-",
        ": row ",
        "column 'v' value 1: must be a finite number, got Infinity");
  }

  @Test
  void aShardWithoutTrainingOrValidationRowsIsAnError() {
    DataException e =
        assertThrows(
            DataException.class,
            () -> Datasets.load(spark, DataFiles.synthetic(12, 2, 2, 0), 1, 8));
    assertMentions(e.getMessage(), "execution.shards: shard", "of 8 has", "use fewer shards");
  }

  @Test
  void idxImageAndLabelCountsMustAgree() throws Exception {
    Path img = DataFiles.idx(dir.resolve("img"), new byte[12], true, 3, 2, 2);
    Path lab = DataFiles.idx(dir.resolve("lab"), new byte[2], false, 2);
    assertMentions(
        fails(DataFiles.idx(img.toString(), lab.toString(), null, null)),
        img.toString(),
        "has 3 images",
        lab.toString(),
        "has 2 labels");
  }
}
