package dev.caviar.data;

import dev.caviar.config.DataSpec;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/** Small data files written by tests, and specs that point at them. */
final class DataFiles {
  private DataFiles() {}

  /** An unsigned-byte IDX file with the given dimensions; gzipped when asked. */
  static Path idx(Path file, byte[] values, boolean gzip, int... dims) throws IOException {
    try (OutputStream raw = Files.newOutputStream(file);
        OutputStream out = gzip ? new GZIPOutputStream(raw) : raw;
        DataOutputStream data = new DataOutputStream(out)) {
      data.writeInt(0x0800 | dims.length);
      for (int d : dims) {
        data.writeInt(d);
      }
      data.write(values);
    }
    return file;
  }

  static Path text(Path file, List<String> lines) throws IOException {
    Files.createDirectories(file.getParent());
    return Files.write(file, lines);
  }

  static DataSpec idx(String images, String labels, String testImages, String testLabels) {
    return new DataSpec(
        DataSpec.Source.IDX,
        images,
        labels,
        testImages,
        testLabels,
        null,
        null,
        false,
        testImages == null ? 0.2 : 0.0,
        0.25,
        null,
        0);
  }

  static DataSpec csv(String path, String testPath, String label, boolean header) {
    return new DataSpec(
        DataSpec.Source.CSV,
        path,
        null,
        testPath,
        null,
        label,
        null,
        header,
        testPath == null ? 0.2 : 0.0,
        0.25,
        null,
        0);
  }

  static DataSpec libsvm(String path, String testPath) {
    return new DataSpec(
        DataSpec.Source.LIBSVM,
        path,
        null,
        testPath,
        null,
        null,
        null,
        false,
        testPath == null ? 0.2 : 0.0,
        0.25,
        null,
        0);
  }

  static DataSpec parquet(String path, String label, String features) {
    return new DataSpec(
        DataSpec.Source.PARQUET,
        path,
        null,
        null,
        null,
        label,
        features,
        false,
        0.2,
        0.25,
        null,
        0);
  }

  static DataSpec synthetic(int rows, int features, int classes, double difficulty) {
    return new DataSpec(
        DataSpec.Source.SYNTHETIC,
        null,
        null,
        null,
        null,
        null,
        null,
        false,
        0.2,
        0.25,
        new DataSpec.Synthetic(rows, features, classes, difficulty),
        0);
  }
}
