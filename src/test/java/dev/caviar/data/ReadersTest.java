package dev.caviar.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.caviar.spark.SharedSpark;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
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

@Tag("spark")
class ReadersTest {
  private final SparkSession spark = SharedSpark.session();
  @TempDir Path dir;

  /** Raw (features, label) of every row of a loaded set, undoing the scaling. */
  private static List<String> raw(PackedShard p, Standardizer s) {
    List<String> rows = new ArrayList<>();
    double[] mean = s.mean();
    double[] scale = s.scale();
    for (int r = 0; r < p.rows(); r++) {
      long[] v = new long[p.width()];
      for (int j = 0; j < p.width(); j++) {
        v[j] = Math.round(p.features()[r * p.width() + j] * scale[j] + mean[j]);
      }
      rows.add(p.labels()[r] + ":" + Arrays.toString(v));
    }
    rows.sort(null);
    return rows;
  }

  private static List<String> all(LoadedData d) {
    List<String> rows = new ArrayList<>(raw(d.trainingSet(), d.standardizer()));
    rows.addAll(raw(d.testSet(), d.standardizer()));
    rows.sort(null);
    return rows;
  }

  @Test
  void idxPlainAndGzippedGiveTheSameRowsIndexedByPosition() throws Exception {
    int n = 40;
    byte[] pixels = new byte[n * 2 * 2];
    byte[] labels = new byte[n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < 4; j++) {
        pixels[i * 4 + j] = (byte) (i * 3 + j * 50);
      }
      labels[i] = (byte) (i % 3);
    }
    Path img = DataFiles.idx(dir.resolve("img"), pixels, false, n, 2, 2);
    Path lab = DataFiles.idx(dir.resolve("lab"), labels, false, n);
    Path imgGz = DataFiles.idx(dir.resolve("img.gz"), pixels, true, n, 2, 2);
    Path labGz = DataFiles.idx(dir.resolve("lab.gz"), labels, true, n);
    Path testImg = DataFiles.idx(dir.resolve("timg.gz"), Arrays.copyOf(pixels, 40), true, 10, 2, 2);
    Path testLab = DataFiles.idx(dir.resolve("tlab"), Arrays.copyOf(labels, 10), false, 10);

    LoadedData plain =
        Datasets.load(
            spark,
            DataFiles.idx(img.toString(), lab.toString(), testImg.toString(), testLab.toString()),
            1,
            2,
            3);
    LoadedData gz =
        Datasets.load(
            spark,
            DataFiles.idx(
                imgGz.toString(), labGz.toString(), testImg.toString(), testLab.toString()),
            1,
            2,
            3);
    assertEquals(3, plain.classes());
    assertEquals(4, plain.width());
    assertEquals(40, plain.trainingRows());
    assertEquals(10, plain.testRows());
    assertEquals(plain.trainingSet(), gz.trainingSet());
    assertEquals(plain.testSet(), gz.testSet());
    long[] ids = plain.trainingSet().ids();
    long[] expected = new long[n];
    Arrays.setAll(expected, i -> i);
    assertArrayEquals(expected, ids);
    // Row 7: pixels 21, 71, 121, 171, label 1.
    PackedShard t = plain.trainingSet();
    assertEquals(1, t.labels()[7]);
    assertEquals(
        71.0,
        t.features()[7 * 4 + 1] * plain.standardizer().scale()[1] + plain.standardizer().mean()[1],
        1e-3);
    plain.unpersist();
    gz.unpersist();
  }

  @Test
  void csvWithHeaderAndLabelInTheMiddle() throws Exception {
    // Enough rows that both shards hold validation rows whatever the seed (P(none) ~ 1e-7).
    List<String> lines = new ArrayList<>(List.of("a,label,b"));
    for (int i = 0; i < 120; i++) {
      lines.add(i + "," + (i % 2) + "," + (100 - i));
    }
    Path train = DataFiles.text(dir.resolve("train.csv"), lines);
    Path test = DataFiles.text(dir.resolve("test.csv"), List.of("a,label,b", "7,1,8", "9,0,10"));
    LoadedData d =
        Datasets.load(spark, DataFiles.csv(train.toString(), test.toString(), "label", true), 3, 2);
    assertEquals(2, d.classes());
    assertEquals(2, d.width());
    assertEquals(120, d.trainingRows());
    assertEquals(List.of("0:[9, 10]", "1:[7, 8]"), raw(d.testSet(), d.standardizer()));
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 120; i++) {
      expected.add((i % 2) + ":[" + i + ", " + (100 - i) + "]");
    }
    expected.sort(null);
    assertEquals(expected, raw(d.trainingSet(), d.standardizer()));
    d.unpersist();
  }

  @Test
  void libsvmTrainAndTestShareTheWiderWidth() throws Exception {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      lines.add((i % 3) + " 1:" + i + " 3:" + (i + 1));
    }
    Path train = DataFiles.text(dir.resolve("train.svm"), lines);
    Path test = DataFiles.text(dir.resolve("test.svm"), List.of("2 5:4", "0 1:1"));
    LoadedData d = Datasets.load(spark, DataFiles.libsvm(train.toString(), test.toString()), 3, 2);
    assertEquals(5, d.width());
    assertEquals(3, d.classes());
    assertEquals(
        List.of("0:[1, 0, 0, 0, 0]", "2:[0, 0, 0, 0, 4]"), raw(d.testSet(), d.standardizer()));
    d.unpersist();
  }

  @Test
  void parquetWithAVectorColumnAndWithNumericColumnsGiveTheSameRows() {
    List<Row> vectors = new ArrayList<>();
    List<Row> numbers = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      vectors.add(RowFactory.create((long) (i % 4), Vectors.dense(i, 2.0 * i, 7)));
      numbers.add(RowFactory.create((long) (i % 4), (double) i, 2.0 * i, 7));
    }
    String vecPath = dir.resolve("vec.parquet").toString();
    String numPath = dir.resolve("num.parquet").toString();
    spark
        .createDataFrame(
            vectors,
            new StructType().add("y", DataTypes.LongType).add("v", SQLDataTypes.VectorType()))
        .write()
        .parquet(vecPath);
    spark
        .createDataFrame(
            numbers,
            new StructType()
                .add("y", DataTypes.LongType)
                .add("x1", DataTypes.DoubleType)
                .add("x2", DataTypes.DoubleType)
                .add("x3", DataTypes.IntegerType))
        .write()
        .parquet(numPath);
    LoadedData vec = Datasets.load(spark, DataFiles.parquet(vecPath, "y", "v"), 5, 2);
    LoadedData num = Datasets.load(spark, DataFiles.parquet(numPath, "y", null), 5, 2);
    assertEquals(4, vec.classes());
    assertEquals(3, num.width());
    assertEquals(40, vec.trainingRows() + vec.testRows());
    assertEquals(all(vec), all(num));
    assertEquals(vec.trainingSet(), num.trainingSet());
    // The constant third column keeps scale 1.
    assertEquals(1.0, vec.standardizer().scale()[2]);
    vec.unpersist();
    num.unpersist();
  }
}
