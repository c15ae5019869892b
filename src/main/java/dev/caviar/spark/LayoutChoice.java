package dev.caviar.spark;

import dev.caviar.config.ExecutionSpec.Layout;
import org.apache.spark.SparkConf;

/**
 * What {@code execution.layout = auto} resolves to. The broadcast layout keeps a deserialised copy
 * of all packed training rows on every executor and, while the broadcast is built, one on the
 * driver (Spark's torrent broadcast starts from a driver-side value); so it is only for data that
 * fits both comfortably. Auto picks it when the packed data is at most {@code broadcastLimitMb} and
 * at most a quarter ({@link #MEMORY_FRACTION}) of an executor's memory: Spark's unified memory is
 * 60 % of the heap above 300 MB, the broadcast holds its serialised blocks next to the deserialised
 * value, and the trainings of that executor's cores need room of their own.
 */
final class LayoutChoice {
  /** The share of an executor's memory the packed data may take in the broadcast layout. */
  static final double MEMORY_FRACTION = 0.25;

  private LayoutChoice() {}

  /**
   * @param requested the configured layout
   * @param packedBytes the packed size of all training shards
   * @param executorMemoryBytes one executor's heap ({@link #executorMemory})
   */
  static Layout choose(
      Layout requested, long packedBytes, int broadcastLimitMb, long executorMemoryBytes) {
    if (requested != Layout.AUTO) {
      return requested;
    }
    boolean fits =
        packedBytes <= (long) broadcastLimitMb << 20
            && packedBytes <= MEMORY_FRACTION * executorMemoryBytes;
    return fits ? Layout.BROADCAST : Layout.SHARDED;
  }

  /**
   * One executor's heap: {@code spark.executor.memory} (Spark's default 1g) on a cluster; in local
   * mode the executors live in the driver's JVM, so its maximum heap.
   */
  static long executorMemory(SparkConf conf) {
    if (conf.get("spark.master", "local[*]").startsWith("local")) {
      return Runtime.getRuntime().maxMemory();
    }
    return conf.getSizeAsBytes("spark.executor.memory", "1g");
  }
}
