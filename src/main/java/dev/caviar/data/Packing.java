package dev.caviar.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaRDD;
import scala.Tuple2;

/** Turns checked rows into {@link PackedShard}s: shard by row hash, order by id, pack once. */
final class Packing {
  private Packing() {}

  /** Everything a task needs to pack rows; small and serialisable, shipped in the closure. */
  record Plan(
      int width,
      int classes,
      Standardizer standardizer,
      long shardSeed,
      long validationSeed,
      double validationFraction)
      implements java.io.Serializable {}

  /**
   * A row after scaling, the form that crosses the shuffle: floats, half the bytes of the raw
   * doubles, and exactly what the packed arrays will hold.
   */
  record ScaledRow(long id, int label, float[] features) implements java.io.Serializable {
    /**
     * Total order inside a shard; equal ids are duplicates or a hash collision the content settles.
     */
    static final Comparator<ScaledRow> ORDER =
        Comparator.comparingLong(ScaledRow::id)
            .thenComparingInt(ScaledRow::label)
            .thenComparing(ScaledRow::features, Arrays::compare);

    static ScaledRow of(Example e, Plan plan) {
      float[] scaled = new float[plan.width()];
      plan.standardizer().apply(e.features(), scaled, 0);
      return new ScaledRow(e.id(), e.label(), scaled);
    }
  }

  /**
   * One {@link PackedShard} per partition, partition {@code s} holding shard {@code s}. The shard
   * of a row depends on its id only, so the result does not depend on the input's partitioning.
   */
  static JavaRDD<PackedShard> shards(JavaRDD<Example> train, int shards, Plan plan) {
    // HashPartitioner sends the Integer key s to partition s mod shards = s.
    return train
        .mapToPair(
            e ->
                new Tuple2<>(
                    RowHash.shard(plan.shardSeed(), e.id(), shards), ScaledRow.of(e, plan)))
        .partitionBy(new HashPartitioner(shards))
        .mapPartitionsWithIndex(
            (index, tuples) -> {
              List<ScaledRow> rows = new ArrayList<>();
              tuples.forEachRemaining(t -> rows.add(t._2()));
              return List.of(pack(index, rows, plan, false)).iterator();
            },
            true);
  }

  /**
   * Scales and packs a test set into {@code parts} parts by row hash, each ordered by id: the parts
   * (and so the order in which a distributed score sums them) depend on the rows only, not on how
   * the input was partitioned, so a test loss is the same to the last bit on any cluster.
   */
  static JavaRDD<PackedShard> testParts(JavaRDD<Example> test, int parts, Plan plan) {
    return test.mapToPair(
            e ->
                new Tuple2<>(RowHash.shard(plan.shardSeed(), e.id(), parts), ScaledRow.of(e, plan)))
        .partitionBy(new HashPartitioner(parts))
        .mapPartitions(
            tuples -> {
              List<ScaledRow> rows = new ArrayList<>();
              tuples.forEachRemaining(t -> rows.add(t._2()));
              return List.of(pack(PackedShard.WHOLE, rows, plan, true)).iterator();
            },
            true);
  }

  /**
   * Packs rows in {@link ScaledRow#ORDER}. With {@code scoreAll} every row is a validation row (the
   * test set); otherwise a row is a validation row when its hash says so.
   */
  static PackedShard pack(int index, List<ScaledRow> rows, Plan plan, boolean scoreAll) {
    rows.sort(ScaledRow.ORDER);
    int n = rows.size();
    int width = plan.width();
    float[] features = new float[Math.multiplyExact(n, width)];
    int[] labels = new int[n];
    long[] ids = new long[n];
    int[] train = new int[n];
    int[] validation = new int[n];
    int t = 0;
    int v = 0;
    for (int r = 0; r < n; r++) {
      ScaledRow e = rows.get(r);
      System.arraycopy(e.features(), 0, features, r * width, width);
      labels[r] = e.label();
      ids[r] = e.id();
      if (scoreAll || RowHash.below(plan.validationSeed(), e.id(), plan.validationFraction())) {
        validation[v++] = r;
      } else {
        train[t++] = r;
      }
    }
    return new PackedShard(
        index,
        width,
        plan.classes(),
        features,
        labels,
        Arrays.copyOf(train, t),
        Arrays.copyOf(validation, v),
        ids);
  }

  /**
   * Merges packed parts into one set ordered by id (then content), keeping each row's train or
   * validation mark: the same rows in the same order whatever the number of parts.
   */
  static PackedShard merge(List<PackedShard> parts, int width, int classes) {
    int total = 0;
    for (PackedShard p : parts) {
      total = Math.addExact(total, p.rows());
    }
    long[] where = new long[total];
    int k = 0;
    for (int p = 0; p < parts.size(); p++) {
      for (int r = 0; r < parts.get(p).rows(); r++) {
        where[k++] = ((long) p << 32) | r;
      }
    }
    Comparator<Long> order =
        (a, b) -> {
          PackedShard pa = parts.get((int) (a >>> 32));
          PackedShard pb = parts.get((int) (b >>> 32));
          int ra = (int) (long) a;
          int rb = (int) (long) b;
          int c = Long.compare(pa.ids()[ra], pb.ids()[rb]);
          if (c == 0) {
            c = Integer.compare(pa.labels()[ra], pb.labels()[rb]);
          }
          if (c == 0) {
            c =
                Arrays.compare(
                    pa.features(),
                    ra * width,
                    (ra + 1) * width,
                    pb.features(),
                    rb * width,
                    (rb + 1) * width);
          }
          return c;
        };
    Long[] sorted = Arrays.stream(where).boxed().sorted(order).toArray(Long[]::new);
    List<boolean[]> isTrain = new ArrayList<>();
    for (PackedShard p : parts) {
      boolean[] mark = new boolean[p.rows()];
      for (int r : p.trainRows()) {
        mark[r] = true;
      }
      isTrain.add(mark);
    }
    float[] features = new float[Math.multiplyExact(total, width)];
    int[] labels = new int[total];
    long[] ids = new long[total];
    int[] train = new int[total];
    int[] validation = new int[total];
    int t = 0;
    int v = 0;
    for (int i = 0; i < total; i++) {
      int p = (int) (sorted[i] >>> 32);
      int r = (int) (long) sorted[i];
      PackedShard part = parts.get(p);
      System.arraycopy(part.features(), r * width, features, i * width, width);
      labels[i] = part.labels()[r];
      ids[i] = part.ids()[r];
      if (isTrain.get(p)[r]) {
        train[t++] = i;
      } else {
        validation[v++] = i;
      }
    }
    return new PackedShard(
        PackedShard.WHOLE,
        width,
        classes,
        features,
        labels,
        Arrays.copyOf(train, t),
        Arrays.copyOf(validation, v),
        ids);
  }
}
