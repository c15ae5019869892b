package dev.caviar.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.caviar.config.DataSpec;
import dev.caviar.spark.SharedSpark;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A watched file read whole by the study's readers, in each format a watch accepts. */
@Tag("spark")
class ArrivingFilesTest {
  @TempDir Path tmp;

  private static DataSpec spec(DataSpec.Source source, String path) {
    return new DataSpec(source, path, null, null, null, "y", null, true, 0.2, 0.2, null, 3);
  }

  private static SparkSession spark() {
    return SharedSpark.session();
  }

  @Test
  void csvLibsvmAndParquetGiveTheSameRowsInFileOrder() throws Exception {
    Path csv = DataFiles.text(tmp.resolve("a.csv"), List.of("x0,y,x1,x2", "1,0,2,3", "4,2,5,6"));
    Path svm = DataFiles.text(tmp.resolve("a.svm"), List.of("0 1:1 2:2 3:3", "2 1:4 2:5 3:6"));
    ArrivingFiles.read(spark(), spec(DataSpec.Source.CSV, csv.toString()), csv.toString(), 0, 0)
        .rows()
        .select(ArrivingFiles.LABEL, ArrivingFiles.FEATURES)
        .toDF("y", "features")
        .write()
        .parquet(tmp.resolve("a.parquet").toString());
    String parquet = tmp.resolve("a.parquet").toString();
    DataSpec parquetSpec =
        new DataSpec(
            DataSpec.Source.PARQUET,
            parquet,
            null,
            null,
            null,
            "y",
            "features",
            true,
            0.2,
            0.2,
            null,
            0);
    for (Object[] c :
        new Object[][] {
          {spec(DataSpec.Source.CSV, csv.toString()), csv.toString()},
          {spec(DataSpec.Source.LIBSVM, svm.toString()), svm.toString()},
          {parquetSpec, parquet}
        }) {
      ArrivingFiles.Checked checked =
          ArrivingFiles.read(spark(), (DataSpec) c[0], (String) c[1], 3, 3);
      List<Row> rows = checked.rows().orderBy(ArrivingFiles.ROW).collectAsList();
      assertEquals(2, checked.count());
      assertEquals(3, checked.width());
      assertEquals(0, rows.get(0).getInt(0), c[1].toString());
      assertEquals(2, rows.get(1).getInt(0));
      assertEquals(6.0, ((Vector) rows.get(1).get(1)).apply(2));
      checked.rows().unpersist();
    }
  }

  @Test
  void aFileOfAnotherWidthOrWithALabelBeyondTheModelsClassesIsRefused() throws Exception {
    Path csv = DataFiles.text(tmp.resolve("b.csv"), List.of("x0,y,x1", "1,0,2", "4,5,5"));
    DataSpec spec = spec(DataSpec.Source.CSV, csv.toString());
    String width =
        assertThrows(
                DataException.class, () -> ArrivingFiles.read(spark(), spec, csv.toString(), 3, 0))
            .getMessage();
    assertTrue(width.contains("rows must hold 3 features like the rows before, got 2"), width);
    String label =
        assertThrows(
                DataException.class, () -> ArrivingFiles.read(spark(), spec, csv.toString(), 2, 3))
            .getMessage();
    assertTrue(label.contains("b.csv:3"), label);
    assertTrue(label.contains("label must be a class 0..2 of the current model, got 5"), label);
  }
}
