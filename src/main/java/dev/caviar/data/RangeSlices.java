package dev.caviar.data;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Partitions that each hold one index range {@code [from, to)} and nothing else: the sources that
 * generate or slice their rows inside the partitions start from these, so a task carries two longs,
 * not data.
 */
final class RangeSlices {
  private RangeSlices() {}

  static JavaRDD<long[]> of(JavaSparkContext jsc, long count, int partitions) {
    int p = (int) Math.max(1, Math.min(partitions, count));
    List<long[]> ranges = new ArrayList<>(p);
    for (int i = 0; i < p; i++) {
      ranges.add(new long[] {count * i / p, count * (i + 1) / p});
    }
    return jsc.parallelize(ranges, p);
  }
}
