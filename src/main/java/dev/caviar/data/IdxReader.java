package dev.caviar.data;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.SerializableConfiguration;

/**
 * IDX images and labels (MNIST, Fashion-MNIST), read inside the partitions: the driver reads only
 * the two headers; each partition opens both files through Hadoop's FileSystem and decodes its own
 * slice of records. Reading on the driver and calling {@code parallelize} would ship the whole data
 * set inside every task (PERFORMANCE.md: 185 MB for Fashion-MNIST).
 *
 * <p>A gzipped file cannot be entered in the middle, so a partition decompresses from the start up
 * to its slice; for files of this size that costs less than shipping them.
 */
final class IdxReader {
  private IdxReader() {}

  /** The part of an IDX header that slicing needs. */
  record Header(int count, int width, int ndim) {
    long bytes() {
      return 4L + 4L * ndim + (long) count * width;
    }
  }

  static RawTable read(
      SparkSession spark,
      String imagesKey,
      String images,
      String labelsKey,
      String labels,
      int partitions) {
    HadoopFiles.requireExists(spark, imagesKey, images);
    HadoopFiles.requireExists(spark, labelsKey, labels);
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    Header imageHeader = header(conf, imagesKey, images);
    Header labelHeader = header(conf, labelsKey, labels);
    if (labelHeader.width() != 1) {
      throw new DataException(
          labelsKey
              + ": "
              + labels
              + ": a labels file must have one value per record, got "
              + labelHeader.width());
    }
    if (imageHeader.count() != labelHeader.count()) {
      throw new DataException(
          imagesKey
              + ": "
              + images
              + " has "
              + imageHeader.count()
              + " images but "
              + labelsKey
              + ": "
              + labels
              + " has "
              + labelHeader.count()
              + " labels; they must be equal");
    }
    if (imageHeader.count() == 0) {
      throw new DataException(imagesKey + ": " + images + ": no rows");
    }
    requireLength(conf, imagesKey, images, imageHeader);
    requireLength(conf, labelsKey, labels, labelHeader);
    int count = imageHeader.count();
    int width = imageHeader.width();
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    SerializableConfiguration shipped = new SerializableConfiguration(conf);
    String labelsName = TextLines.displayName(new Path(labels));
    JavaRDD<Sourced> rows =
        RangeSlices.of(jsc, count, partitions)
            .flatMap(
                range ->
                    slice(shipped.value(), images, labels, labelsName, range[0], range[1], width)
                        .iterator());
    return new RawTable(rows, width, images, null);
  }

  /**
   * A file shorter than its header promises fails here, on the driver, naming the first record it
   * cuts; a gzipped file's length says nothing, so its records are counted as they are read.
   */
  private static void requireLength(Configuration conf, String key, String path, Header h) {
    long length;
    try (InputStream in = HadoopFiles.open(conf, path)) {
      if (in instanceof GZIPInputStream) {
        return;
      }
      Path p = new Path(path);
      length = p.getFileSystem(conf).getFileStatus(p).getLen();
    } catch (IOException e) {
      throw new DataException(key + ": " + path + ": cannot be read: " + e.getMessage(), e);
    }
    if (length < h.bytes()) {
      long whole = (length - (h.bytes() - (long) h.count() * h.width())) / h.width();
      throw new DataException(
          TextLines.displayName(new Path(path))
              + ": record "
              + whole
              + ": file ends early: its header promises "
              + h.count()
              + " records of "
              + h.width()
              + " bytes ("
              + h.bytes()
              + " bytes in all), the file has "
              + length
              + " bytes");
    }
  }

  static Header header(Configuration conf, String key, String path) {
    try (InputStream in = HadoopFiles.open(conf, path)) {
      return header(new DataInputStream(in), path);
    } catch (IOException e) {
      throw new DataException(key + ": " + e.getMessage(), e);
    }
  }

  private static Header header(DataInputStream in, String path) throws IOException {
    int magic;
    try {
      magic = in.readInt();
    } catch (EOFException e) {
      throw new IOException(path + ": not an IDX file: shorter than its 4-byte magic number");
    }
    int type = (magic >>> 8) & 0xFF;
    int ndim = magic & 0xFF;
    if ((magic >>> 16) != 0 || type != 0x08 || ndim < 1) {
      throw new IOException(
          String.format(
              "%s: not an unsigned-byte IDX file: magic number must be 0x000008nn with nn >= 1,"
                  + " got 0x%08x",
              path, magic));
    }
    int count = in.readInt();
    long width = 1;
    for (int i = 1; i < ndim; i++) {
      width *= in.readInt();
    }
    if (count < 0 || width < 1 || width > Integer.MAX_VALUE) {
      throw new IOException(
          path + ": IDX dimensions must be positive, got " + count + " x " + width);
    }
    return new Header(count, (int) width, ndim);
  }

  private static List<Sourced> slice(
      Configuration conf,
      String images,
      String labels,
      String labelsName,
      long from,
      long to,
      int width)
      throws IOException {
    int n = Math.toIntExact(to - from);
    byte[] pixels = new byte[Math.multiplyExact(n, width)];
    byte[] classes = new byte[n];
    read(conf, images, from, width, pixels);
    read(conf, labels, from, 1, classes);
    List<Sourced> rows = new ArrayList<>(n);
    for (int r = 0; r < n; r++) {
      double[] features = new double[width];
      for (int j = 0; j < width; j++) {
        features[j] = pixels[r * width + j] & 0xFF;
      }
      rows.add(
          new Sourced(
              new Example(from + r, classes[r] & 0xFF, features),
              new Sourced.Indexed(labelsName, "record", from + r)));
    }
    return rows;
  }

  private static void read(Configuration conf, String path, long from, int width, byte[] into)
      throws IOException {
    try (InputStream raw = HadoopFiles.open(conf, path)) {
      DataInputStream in = new DataInputStream(raw);
      int ndim = in.readInt() & 0xFF;
      in.skipNBytes(4L * ndim + from * width);
      int got = in.readNBytes(into, 0, into.length);
      if (got < into.length) {
        throw new DataException(
            TextLines.displayName(new Path(path))
                + ": record "
                + (from + got / width)
                + ": file ends early, before the records its header promises");
      }
    } catch (EOFException e) {
      throw new DataException(
          TextLines.displayName(new Path(path))
              + ": record "
              + from
              + ": file ends early, before the records its header promises",
          e);
    }
  }
}
