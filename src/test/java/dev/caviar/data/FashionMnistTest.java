package dev.caviar.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.caviar.spark.SharedSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("spark")
@Tag("slow")
class FashionMnistTest {
  private static final Path DIR = Path.of("/usr/share/datasets/fashion-mnist");

  @Test
  void loadsTheOfficialSplit() {
    assumeTrue(
        Files.isDirectory(DIR), DIR + " not installed (apt-get install dataset-fashion-mnist)");
    LoadedData d =
        Datasets.load(
            SharedSpark.session(),
            DataFiles.idx(
                DIR.resolve("train-images-idx3-ubyte.gz").toString(),
                DIR.resolve("train-labels-idx1-ubyte.gz").toString(),
                DIR.resolve("t10k-images-idx3-ubyte.gz").toString(),
                DIR.resolve("t10k-labels-idx1-ubyte.gz").toString()),
            7,
            4);
    assertEquals(10, d.classes());
    assertEquals(784, d.width());
    assertEquals(60_000, d.trainingRows());
    assertEquals(10_000, d.testRows());
    // 60k rows of 784 floats plus labels, ids and row indices.
    assertEquals(60_000L * (784 * 4 + 4 + 8 + 4), d.packedBytes());
    double share = d.validationRows() / 60_000.0;
    assertTrue(share > 0.24 && share < 0.26, "validation share " + share);
    assertEquals(60_000, d.trainingSet().rows());
    d.unpersist();
  }
}
