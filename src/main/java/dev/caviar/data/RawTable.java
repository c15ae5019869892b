package dev.caviar.data;

import org.apache.spark.api.java.JavaRDD;

/**
 * What a reader returns: checked rows (lazily: the checks run with the first Spark action), their
 * width, known on the driver, and a name for messages.
 */
record RawTable(JavaRDD<Example> rows, int width, String name) {}
