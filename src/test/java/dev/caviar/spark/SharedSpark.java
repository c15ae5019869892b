package dev.caviar.spark;

import org.apache.spark.sql.SparkSession;

/**
 * The one local Spark session of the test JVM, shared by every Spark test class of every package:
 * starting a session is the cost of a Spark test, so it starts once, on first use, and stops with
 * the JVM (Spark's shutdown hook), never between classes.
 */
public final class SharedSpark {
  private static SparkSession session;

  private SharedSpark() {}

  public static synchronized SparkSession session() {
    if (session == null) {
      session =
          SparkSession.builder()
              .master("local[2]")
              .appName("caviar-tests")
              .config("spark.ui.enabled", "false")
              .config("spark.sql.shuffle.partitions", "4")
              .config("spark.default.parallelism", "2")
              .config("spark.driver.host", "127.0.0.1")
              .config("spark.driver.bindAddress", "127.0.0.1")
              .config("spark.sql.adaptive.enabled", "false")
              .getOrCreate();
      session.sparkContext().setLogLevel("WARN");
    }
    return session;
  }
}
