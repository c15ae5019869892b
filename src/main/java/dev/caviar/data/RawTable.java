package dev.caviar.data;

import org.apache.spark.api.java.JavaRDD;

/**
 * What a reader returns: checked rows with where each was read (lazily: the checks run with the
 * first Spark action), their width, known on the driver, a name for messages and how the label is
 * named in messages ({@code column 'label'}; null for formats whose label has no name).
 */
record RawTable(JavaRDD<Sourced> sourced, int width, String name, String labelName) {

  JavaRDD<Example> rows() {
    return sourced.map(Sourced::example);
  }
}
