package dev.caviar.data;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapreduce.lib.input.FileSplit;
import org.apache.hadoop.mapreduce.lib.input.TextInputFormat;
import org.apache.spark.api.java.JavaNewHadoopRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.util.SerializableConfiguration;
import scala.Tuple2;

/**
 * The lines of text files (one file, a directory or a glob; gzip and the other Hadoop codecs by
 * name), each with its file and line number, for readers whose messages must say {@code FILE:LINE}.
 *
 * <p>Hadoop's text reader gives byte offsets, not line numbers. A split that starts a file (every
 * split of a compressed file does) numbers its lines by counting them; a split in the middle of a
 * large file knows only the offset, and turns it into a line number by reading the file up to it,
 * which happens only for the row an error message names.
 */
final class TextLines {
  private TextLines() {}

  /** One line of text and where it was read. */
  record Line(String file, long number, long offset, String text, SerializableConfiguration conf)
      implements Sourced.Place {

    /** The 1-based line number, counting the file up to the line's offset when needed. */
    long lineNumber() {
      if (number > 0) {
        return number;
      }
      try (InputStream in =
          new BufferedInputStream(HadoopFiles.open(conf.value(), file), 1 << 16)) {
        long line = 1;
        for (long at = 0; at < offset; at++) {
          int b = in.read();
          if (b < 0) {
            break;
          }
          if (b == '\n') {
            line++;
          }
        }
        return line;
      } catch (IOException e) {
        throw new UncheckedIOException(file + ": cannot be read again: " + e.getMessage(), e);
      }
    }

    @Override
    public String describe() {
      return file + ":" + lineNumber();
    }
  }

  static JavaRDD<Line> read(JavaSparkContext jsc, String path) {
    Configuration conf = jsc.hadoopConfiguration();
    SerializableConfiguration shipped = new SerializableConfiguration(conf);
    JavaNewHadoopRDD<LongWritable, Text> raw =
        (JavaNewHadoopRDD<LongWritable, Text>)
            jsc.newAPIHadoopFile(path, TextInputFormat.class, LongWritable.class, Text.class, conf);
    return raw.mapPartitionsWithInputSplit(
        (split, records) -> {
          FileSplit fileSplit = (FileSplit) split;
          String file = displayName(fileSplit.getPath());
          boolean fromStart = fileSplit.getStart() == 0;
          return new Iterator<Line>() {
            long index;

            @Override
            public boolean hasNext() {
              return records.hasNext();
            }

            @Override
            public Line next() {
              Tuple2<LongWritable, Text> r = records.next();
              index++;
              // Hadoop reuses the Writables: copy out of them now.
              return new Line(
                  file, fromStart ? index : -1, r._1().get(), r._2().toString(), shipped);
            }
          };
        },
        true);
  }

  /** A local path as the user typed it (no {@code file:} scheme); other file systems in full. */
  static String displayName(Path p) {
    return "file".equals(p.toUri().getScheme()) ? p.toUri().getPath() : p.toString();
  }

  /**
   * The first line of the first file of {@code path} (as the text reader orders them), or null when
   * there is none.
   */
  static String firstLine(Configuration conf, String path) throws IOException {
    for (Path f : HadoopFiles.files(conf, path)) {
      try (BufferedReader r =
          new BufferedReader(
              new InputStreamReader(
                  HadoopFiles.open(conf, f.toString()), StandardCharsets.UTF_8))) {
        String line = r.readLine();
        if (line != null) {
          return line;
        }
      }
    }
    return null;
  }
}
