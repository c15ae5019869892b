package dev.caviar.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.caviar.config.DataSpec;
import dev.caviar.spark.SharedSpark;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.LongStream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("spark")
class DatasetsTest {
  private final SparkSession spark = SharedSpark.session();
  @TempDir Path dir;

  private static List<PackedShard> shards(LoadedData d) {
    List<PackedShard> list = new ArrayList<>(d.shards().collect());
    list.sort(Comparator.comparingInt(PackedShard::index));
    return list;
  }

  @Test
  void standardisationUsesTheTrainingRowsOnly() throws Exception {
    List<String> train = new ArrayList<>(List.of("x,y"));
    for (int i = 0; i < 20; i++) {
      train.add(i + "," + (i % 2));
    }
    String trainPath = DataFiles.text(dir.resolve("train.csv"), train).toString();
    String testPath =
        DataFiles.text(dir.resolve("test.csv"), List.of("x,y", "1000,0", "3000,1")).toString();
    LoadedData d = Datasets.load(spark, DataFiles.csv(trainPath, testPath, "y", true), 1, 2);
    // Mean and sample standard deviation of 0..19; the test rows (1000, 3000) would move both.
    assertEquals(9.5, d.standardizer().mean()[0], 1e-6);
    assertEquals(Math.sqrt(35), d.standardizer().scale()[0], 1e-6);
    float[] test = d.testSet().features().clone();
    Arrays.sort(test);
    assertEquals((1000 - 9.5) / Math.sqrt(35), test[0], 1e-3);
    assertEquals((3000 - 9.5) / Math.sqrt(35), test[1], 1e-3);
    d.unpersist();
  }

  @Test
  void csvPackingDoesNotDependOnHowTheInputIsSplitIntoFiles() throws Exception {
    List<String> rows = new ArrayList<>();
    for (int i = 0; i < 90; i++) {
      rows.add((i * 7 % 13) + "," + (i % 11) + "," + (i % 3));
    }
    String one = DataFiles.text(dir.resolve("one/all.csv"), rows).toString();
    for (int f = 0; f < 3; f++) {
      DataFiles.text(dir.resolve("three/part" + f + ".csv"), rows.subList(f * 30, f * 30 + 30));
    }
    LoadedData a = Datasets.load(spark, DataFiles.csv(one, null, "2", false), 9, 3);
    LoadedData b =
        Datasets.load(
            spark, DataFiles.csv(dir.resolve("three").toString(), null, "2", false), 9, 3);
    assertEquals(3, b.shards().getNumPartitions());
    assertEquals(shards(a), shards(b));
    assertEquals(a.testSet(), b.testSet());
    assertEquals(a.standardizer(), b.standardizer());
    a.unpersist();
    b.unpersist();
  }

  @Test
  void syntheticDataAndShardsAreTheSameForAnyInputPartitioningAndPartitionTheRowsExactly() {
    DataSpec spec = DataFiles.synthetic(600, 5, 3, 0.5);
    LoadedData one = Datasets.load(spark, spec, 42, 4, 1);
    LoadedData three = Datasets.load(spark, spec, 42, 4, 3);
    LoadedData otherSeed = Datasets.load(spark, spec, 43, 4, 3);

    List<PackedShard> shards = shards(one);
    assertEquals(shards, shards(three));
    assertEquals(one.testSet(), three.testSet());
    assertEquals(one.trainingSet(), three.trainingSet());
    assertNotEquals(one.trainingSet(), otherSeed.trainingSet());

    // One PackedShard per partition, partition s holding shard s.
    assertEquals(List.of(1, 1, 1, 1), one.shards().glom().map(List::size).collect());
    assertEquals(List.of(0, 1, 2, 3), shards.stream().map(PackedShard::index).toList());

    // The shards hold every training row once; with the test rows they are the 600 generated rows.
    long[] shardIds = shards.stream().flatMapToLong(s -> Arrays.stream(s.ids())).sorted().toArray();
    assertArrayEquals(one.trainingSet().ids(), shardIds);
    assertEquals(one.trainingRows(), shardIds.length);
    long[] everything =
        LongStream.concat(Arrays.stream(shardIds), Arrays.stream(one.testSet().ids()))
            .sorted()
            .toArray();
    assertArrayEquals(LongStream.range(0, 600).toArray(), everything);
    assertEquals(
        one.validationRows(), shards.stream().mapToLong(s -> s.validationRows().length).sum());
    assertEquals(one.trainingSet().validationRows().length, one.validationRows());
    assertEquals(shards.stream().mapToLong(PackedShard::bytes).sum(), one.packedBytes());
    one.unpersist();
    three.unpersist();
    otherSeed.unpersist();
  }
}
