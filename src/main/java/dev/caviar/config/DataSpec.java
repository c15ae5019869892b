package dev.caviar.config;

import dev.caviar.space.ConfigName;
import java.io.Serializable;

/**
 * Where the data comes from and how it is split: the {@code data} section of a study config.
 *
 * <p>Paths are Hadoop paths (local, {@code hdfs://}, {@code s3a://}). A null {@code testPath} means
 * the test rows are split off the training data deterministically ({@code testFraction}).
 *
 * @param source the reader: synthetic, idx, csv, libsvm or parquet; dataframe for the DataFrame
 *     given to {@code CaviarTuner.fit}
 * @param path training data (idx: the images file)
 * @param labelsPath idx only: the training labels file
 * @param testPath optional test data (idx: the test images file)
 * @param testLabelsPath idx only: the test labels file
 * @param labelColumn csv and parquet: the label column
 * @param featuresColumn parquet: a vector column; null means every other numeric column
 * @param header csv: whether the first line names the columns
 * @param testFraction share of rows held out as the test set when no test path is given
 * @param validationFraction share of each shard's rows used to score trials
 * @param synthetic the generator's settings when {@code source = synthetic}
 * @param features libsvm: the number of features; 0 means the largest index in the files
 */
public record DataSpec(
    Source source,
    String path,
    String labelsPath,
    String testPath,
    String testLabelsPath,
    String labelColumn,
    String featuresColumn,
    boolean header,
    double testFraction,
    double validationFraction,
    Synthetic synthetic,
    int features)
    implements Serializable {

  /** The readers Caviar has. */
  public enum Source implements ConfigName {
    SYNTHETIC,
    IDX,
    CSV,
    LIBSVM,
    PARQUET,
    /** The DataFrame handed to {@code CaviarTuner.fit}: Spark ML's face, never the CLI's. */
    DATAFRAME;

    /** Parses a config name such as {@code "libsvm"}; the error lists the allowed names. */
    public static Source parse(String key, String name) {
      return ConfigName.parse(Source.class, key, name);
    }
  }

  /**
   * A seeded, non-linear, multi-class problem that needs no files: class centres on a sphere, each
   * class a mixture of blobs, passed through a fixed random non-linear map.
   *
   * @param rows rows to generate (training plus test)
   * @param features input width
   * @param classes number of classes
   * @param difficulty 0 (separable) to 1 (heavily overlapping, noisy labels)
   * @param shiftAfter a concept shift: rows with an index from this one on have their label rotated
   *     ({@code c -> (c + 1) mod classes}), the same inputs now meaning another class; 0 for none.
   *     A stream of such rows is the drift {@code caviar watch} must notice and recover from.
   */
  public record Synthetic(int rows, int features, int classes, double difficulty, long shiftAfter)
      implements Serializable {
    /** A problem without a concept shift. */
    public Synthetic(int rows, int features, int classes, double difficulty) {
      this(rows, features, classes, difficulty, 0);
    }

    public Synthetic {
      if (shiftAfter < 0) {
        throw new IllegalArgumentException(
            "data.synthetic.shiftAfter: must be >= 0 (0: no shift), got " + shiftAfter);
      }
      if (!(rows >= 10)) {
        throw new IllegalArgumentException("data.synthetic.rows: must be >= 10, got " + rows);
      }
      if (!(features >= 1)) {
        throw new IllegalArgumentException(
            "data.synthetic.features: must be >= 1, got " + features);
      }
      if (!(classes >= 2)) {
        throw new IllegalArgumentException("data.synthetic.classes: must be >= 2, got " + classes);
      }
      if (!(difficulty >= 0 && difficulty <= 1)) {
        throw new IllegalArgumentException(
            "data.synthetic.difficulty: must be in [0, 1], got " + difficulty);
      }
    }
  }

  public DataSpec {
    if (source == null) {
      throw new IllegalArgumentException("data.source: is required");
    }
    if (source == Source.SYNTHETIC && synthetic == null) {
      throw new IllegalArgumentException(
          "data.synthetic: is required when data.source = synthetic");
    }
    if (source == Source.SYNTHETIC || source == Source.DATAFRAME) {
      // A path with synthetic data would train on the generator and exit 0: say so instead.
      String[][] paths = {
        {"path", path},
        {"labelsPath", labelsPath},
        {"testPath", testPath},
        {"testLabelsPath", testLabelsPath}
      };
      for (String[] p : paths) {
        if (p[1] != null) {
          throw new IllegalArgumentException(
              "data."
                  + p[0]
                  + ": is not read when data.source = "
                  + source.configName()
                  + "; set data.source to "
                  + String.join(", ", ConfigName.names(Source.class).subList(1, 4))
                  + " or parquet, or remove it, got '"
                  + p[1]
                  + "'");
        }
      }
    } else if (path == null || path.isBlank()) {
      throw new IllegalArgumentException(
          "data.path: is required when data.source = " + source.configName());
    }
    if (source == Source.IDX) {
      if (labelsPath == null || labelsPath.isBlank()) {
        throw new IllegalArgumentException("data.labelsPath: is required when data.source = idx");
      }
      if (testPath != null && (testLabelsPath == null || testLabelsPath.isBlank())) {
        throw new IllegalArgumentException(
            "data.testLabelsPath: is required when data.source = idx and data.testPath is set");
      }
    }
    if ((source == Source.CSV || source == Source.PARQUET)
        && (labelColumn == null || labelColumn.isBlank())) {
      throw new IllegalArgumentException(
          "data.labelColumn: must name a column, got '" + labelColumn + "'");
    }
    if (!(testFraction >= 0 && testFraction < 1)) {
      throw new IllegalArgumentException(
          "data.testFraction: must be in [0, 1), got " + testFraction);
    }
    if (testPath == null && !(testFraction > 0)) {
      throw new IllegalArgumentException(
          "data.testFraction: must be > 0 when no data.testPath is given, got " + testFraction);
    }
    if (features < 0) {
      throw new IllegalArgumentException(
          "data.features: must be >= 1 (or 0: the largest index in the files), got " + features);
    }
    if (!(validationFraction > 0 && validationFraction < 1)) {
      throw new IllegalArgumentException(
          "data.validationFraction: must be in (0, 1), got " + validationFraction);
    }
  }
}
