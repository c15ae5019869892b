package dev.caviar.data;

import java.io.Serializable;

/**
 * One checked row, the form every reader produces.
 *
 * @param id a pure function of the data (the row's index in an IDX or synthetic source, a content
 *     hash otherwise), so that shard and split assignments do not depend on how Spark partitioned
 *     the input
 * @param label the class, an integer {@code >= 0}
 * @param features the raw (not yet standardised) values
 */
record Example(long id, int label, double[] features) implements Serializable {

  /** A content hash for sources without a natural row index (CSV, LIBSVM, Parquet). */
  static long contentId(int label, double[] features) {
    long h = RowHash.mix(0x5EEDL, label);
    for (double v : features) {
      // +0.0 and -0.0 are the same value to the network: hash them alike.
      h = RowHash.mix(h, Double.doubleToLongBits(v == 0 ? 0.0 : v));
    }
    return h;
  }
}
