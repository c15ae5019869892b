package dev.caviar.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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

  /**
   * The files a path names, in the order Hadoop's input formats read them: a file, the visible
   * files of a directory (not those starting with {@code _} or {@code .}, such as Spark's {@code
   * _SUCCESS}), or the matches of a glob.
   */
  static List<Path> files(Configuration conf, String path) throws IOException {
    Path p = new Path(path);
    FileSystem fs = p.getFileSystem(conf);
    FileStatus[] found = fs.globStatus(p);
    List<Path> files = new ArrayList<>();
    if (found == null) {
      return files;
    }
    for (FileStatus s : found) {
      if (s.isDirectory()) {
        FileStatus[] inside = fs.listStatus(s.getPath());
        Arrays.sort(inside);
        for (FileStatus f : inside) {
          String name = f.getPath().getName();
          if (f.isFile() && !name.startsWith("_") && !name.startsWith(".")) {
            files.add(f.getPath());
          }
        }
      } else {
        files.add(s.getPath());
      }
    }
    return files;
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
