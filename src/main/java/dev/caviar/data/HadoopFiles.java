package dev.caviar.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/** Paths through Hadoop's FileSystem, so that local, hdfs:// and s3a:// take the same code. */
final class HadoopFiles {
  private HadoopFiles() {}

  /**
   * Fails with the key and the path when nothing matches; Spark's own error for this is a stack of
   * analysis exceptions that does not say which setting was wrong.
   */
  static void requireExists(SparkSession spark, String key, String path) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    FileStatus[] found;
    try {
      Path p = new Path(path);
      FileSystem fs = p.getFileSystem(conf);
      found = fs.globStatus(p);
    } catch (IOException | IllegalArgumentException e) {
      throw new DataException(key + ": " + path + ": cannot be read: " + e.getMessage(), e);
    }
    if (found == null || found.length == 0) {
      throw new DataException(key + ": " + path + ": no such file or directory");
    }
  }

  /** Opens a file, decompressing gzip when its magic bytes say so (the name may not). */
  static InputStream open(Configuration conf, String path) throws IOException {
    Path p = new Path(path);
    FileSystem fs = FileSystem.get(p.toUri(), conf);
    BufferedInputStream in = new BufferedInputStream(fs.open(p), 1 << 16);
    in.mark(2);
    int b0 = in.read();
    int b1 = in.read();
    in.reset();
    return (b0 == 0x1f && b1 == 0x8b) ? new GZIPInputStream(in, 1 << 16) : in;
  }
}
