package dev.caviar.job;

import dev.caviar.spark.SharedSpark;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Small data files, good or with one defect, for {@link BadInputTest}. Every text file puts its bad
 * row on line {@link #BAD_LINE}, every IDX or Parquet file on record or row {@link #BAD_ROW}, so a
 * test can ask for the exact place in the message.
 */
final class BadInputFiles {
  static final int ROWS = 40;
  static final int BAD_LINE = 6;
  static final int BAD_ROW = 5;

  private BadInputFiles() {}

  /** Two features, labels 0 and 1 (or 1 and 2 with {@code labelBase = 1}). */
  static String csvRow(int i, int labelBase) {
    return (i % 7) * 0.5 + "," + (i * 3 % 11) * 0.25 + "," + (i % 2 + labelBase);
  }

  /** A CSV with header {@code x1,x2,y}; {@code bad}, when not null, is line {@link #BAD_LINE}. */
  static Path csv(Path file, String bad) throws IOException {
    return csv(file, bad, 0, true);
  }

  static Path csv(Path file, String bad, int labelBase, boolean header) throws IOException {
    List<String> lines = new ArrayList<>();
    if (header) {
      lines.add("x1,x2,y");
    }
    for (int i = 0; i < ROWS; i++) {
      if (bad != null && lines.size() == BAD_LINE - 1) {
        lines.add(bad);
      }
      lines.add(csvRow(i, labelBase));
    }
    return Files.write(file, lines);
  }

  /** As {@link #csv(Path, String)}, gzipped. */
  static Path csvGz(Path file, String bad) throws IOException {
    Path plain = csv(file.resolveSibling("plain.csv"), bad);
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
      Files.copy(plain, out);
    }
    Files.delete(plain);
    return file;
  }

  /** A Parquet data set whose label column {@code y} holds text. */
  static Path parquetTextLabel(Path dir) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < ROWS; i++) {
      rows.add(RowFactory.create(String.valueOf(i % 2), (i % 7) * 0.5, (i * 3 % 11) * 0.25));
    }
    StructType schema =
        new StructType()
            .add("y", DataTypes.StringType, false)
            .add("x1", DataTypes.DoubleType, false)
            .add("x2", DataTypes.DoubleType, false);
    SharedSpark.session()
        .createDataFrame(rows, schema)
        .coalesce(1)
        .write()
        .mode("overwrite")
        .parquet(dir.toString());
    return dir;
  }

  /** LIBSVM rows {@code label 1:a 2:b}; {@code bad}, when not null, is line {@link #BAD_LINE}. */
  static Path libsvm(Path file, String bad, int labelBase) throws IOException {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < ROWS; i++) {
      if (bad != null && lines.size() == BAD_LINE - 1) {
        lines.add(bad);
      }
      lines.add((i % 2 + labelBase) + " 1:" + (i % 7) * 0.5 + " 2:" + (i * 3 % 11) * 0.25);
    }
    return Files.write(file, lines);
  }

  /** 2x2 images and their labels; {@code labels[i]} overrides row i's label when >= 0. */
  static void idx(Path images, Path labels, int imageRecords, int labelRecords, int[] labelOf)
      throws IOException {
    byte[] pixels = new byte[imageRecords * 4];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (byte) (i * 37 % 251);
    }
    byte[] classes = new byte[labelRecords];
    for (int i = 0; i < labelRecords; i++) {
      classes[i] = (byte) (labelOf != null && labelOf[i] >= 0 ? labelOf[i] : i % 2);
    }
    idx(images, 0x0803, new int[] {ROWS, 2, 2}, pixels);
    idx(labels, 0x0801, new int[] {ROWS}, classes);
  }

  static void idx(Path file, int magic, int[] dims, byte[] values) throws IOException {
    try (OutputStream raw = Files.newOutputStream(file);
        DataOutputStream data = new DataOutputStream(raw)) {
      data.writeInt(magic);
      for (int d : dims) {
        data.writeInt(d);
      }
      data.write(values);
    }
  }

  /**
   * A one-file Parquet data set with a double label {@code y} and columns {@code x1, x2}; row
   * {@link #BAD_ROW} gets {@code badLabel} and {@code badX2} when they are not null.
   */
  static Path parquet(Path dir, Double badLabel, Double badX2, boolean nullX2) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < ROWS; i++) {
      double label = i % 2;
      Double x2 = (i * 3 % 11) * 0.25;
      if (i == BAD_ROW) {
        label = badLabel == null ? label : badLabel;
        x2 = nullX2 ? null : badX2 == null ? x2 : badX2;
      }
      rows.add(RowFactory.create(label, (i % 7) * 0.5, x2));
    }
    StructType schema =
        new StructType()
            .add("y", DataTypes.DoubleType, false)
            .add("x1", DataTypes.DoubleType, false)
            .add("x2", DataTypes.DoubleType, true);
    SharedSpark.session()
        .createDataFrame(rows, schema)
        .coalesce(1)
        .write()
        .mode("overwrite")
        .parquet(dir.toString());
    return dir;
  }
}
