package dev.caviar.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * The IDX format of MNIST and Fashion-MNIST (http://yann.lecun.com/exdb/mnist/): a magic number
 * {@code 0x00 0x00 type ndim}, {@code ndim} big-endian int dimensions, then the values row-major.
 * Only unsigned bytes ({@code type 0x08}) are supported, which is what both data sets use. Gzipped
 * files are recognised by their magic bytes, not their name.
 *
 * <p>Pure Java and Hadoop-agnostic: callers open the stream (local file, HDFS, S3) and name it for
 * error messages.
 */
public record IdxFile(String source, int[] dimensions, byte[] values) {

  private static final int UNSIGNED_BYTE = 0x08;

  public IdxFile {
    dimensions = dimensions.clone();
  }

  /** Number of records: the first dimension. */
  public int count() {
    return dimensions[0];
  }

  /** Values per record: the product of the remaining dimensions (1 for a label file). */
  public int width() {
    int w = 1;
    for (int i = 1; i < dimensions.length; i++) {
      w *= dimensions[i];
    }
    return w;
  }

  /** The unsigned value at {@code (record, column)}. */
  public int get(int record, int column) {
    return values[record * width() + column] & 0xFF;
  }

  @Override
  public int[] dimensions() {
    return dimensions.clone();
  }

  /**
   * Reads a whole IDX file.
   *
   * @param source the name used in error messages (path or URI)
   * @throws IOException when the stream is not IDX, uses another value type, or ends early
   */
  public static IdxFile read(InputStream in, String source) throws IOException {
    BufferedInputStream buffered = new BufferedInputStream(in, 1 << 16);
    buffered.mark(2);
    int b0 = buffered.read();
    int b1 = buffered.read();
    buffered.reset();
    InputStream raw =
        (b0 == 0x1f && b1 == 0x8b) ? new GZIPInputStream(buffered, 1 << 16) : buffered;
    DataInputStream data = new DataInputStream(raw);
    int magic;
    try {
      magic = data.readInt();
    } catch (EOFException e) {
      throw new IOException(source + ": not an IDX file: shorter than its 4-byte magic number");
    }
    if ((magic >>> 16) != 0) {
      throw new IOException(
          String.format(
              "%s: not an IDX file: magic number must start with two zero bytes, got 0x%08x",
              source, magic));
    }
    int type = (magic >>> 8) & 0xFF;
    int ndim = magic & 0xFF;
    if (type != UNSIGNED_BYTE) {
      throw new IOException(
          String.format(
              "%s: IDX value type must be 0x08 (unsigned byte), got 0x%02x", source, type));
    }
    if (ndim < 1) {
      throw new IOException(source + ": IDX file must have at least 1 dimension, got " + ndim);
    }
    int[] dims = new int[ndim];
    long total = 1;
    for (int i = 0; i < ndim; i++) {
      dims[i] = data.readInt();
      if (dims[i] < 0) {
        throw new IOException(source + ": IDX dimension " + i + " must be >= 0, got " + dims[i]);
      }
      total *= dims[i];
    }
    if (total > Integer.MAX_VALUE - 8) {
      throw new IOException(
          source + ": IDX file too large for one array: " + Arrays.toString(dims));
    }
    byte[] values = new byte[(int) total];
    try {
      data.readFully(values);
    } catch (EOFException e) {
      throw new IOException(
          source
              + ": IDX file ends early: header "
              + Arrays.toString(dims)
              + " promises "
              + total
              + " values");
    }
    return new IdxFile(source, dims, values);
  }
}
