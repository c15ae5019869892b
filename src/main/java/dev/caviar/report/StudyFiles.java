package dev.caviar.report;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * The study directory's top-level files besides {@code best.json} ({@link BestFile}): the resolved
 * configuration, the versions that ran it and what the data turned out to be.
 */
public final class StudyFiles {
  public static final String CONFIG = "config.conf";
  public static final String VERSIONS = "versions.json";
  public static final String DATA = "data.json";
  public static final String ROUNDS = "rounds";

  // data.json's keys, for the writer and the reader alike.
  private static final String SOURCE = "source";
  private static final String CLASSES = "classes";
  private static final String FEATURES = "features";
  private static final String TRAINING_ROWS = "trainingRows";
  private static final String VALIDATION_ROWS = "validationRows";
  private static final String TEST_ROWS = "testRows";
  private static final String PACKED_BYTES = "packedBytes";
  private static final String LAYOUT = "layout";
  private static final String SHARDS = "shards";
  private static final String CORES = "cores";
  private static final String BLAS = "blas";

  private StudyFiles() {}

  /**
   * What {@code data.json} records: the data as loaded and how it was laid out.
   *
   * @param layout the layout's config name ({@code broadcast} or {@code sharded})
   * @param blas the BLAS implementation that ran (its speed and its last bits differ)
   */
  public record DataSummary(
      String source,
      int classes,
      int features,
      long trainingRows,
      long validationRows,
      long testRows,
      long packedBytes,
      String layout,
      int shards,
      int cores,
      String blas) {}

  public static String dataJson(DataSummary d) {
    ObjectNode o = Cells.JSON.createObjectNode();
    o.put(SOURCE, d.source());
    o.put(CLASSES, d.classes());
    o.put(FEATURES, d.features());
    o.put(TRAINING_ROWS, d.trainingRows());
    o.put(VALIDATION_ROWS, d.validationRows());
    o.put(TEST_ROWS, d.testRows());
    o.put(PACKED_BYTES, d.packedBytes());
    o.put(LAYOUT, d.layout());
    o.put(SHARDS, d.shards());
    o.put(CORES, d.cores());
    o.put(BLAS, d.blas());
    return Cells.pretty(o);
  }

  /**
   * Reads {@code data.json}.
   *
   * @param source the file's name, for error messages
   */
  public static DataSummary readData(String text, String source) {
    try {
      com.fasterxml.jackson.databind.JsonNode o = Cells.JSON.readTree(text);
      return new DataSummary(
          o.path(SOURCE).asText(),
          o.path(CLASSES).asInt(),
          o.path(FEATURES).asInt(),
          o.path(TRAINING_ROWS).asLong(),
          o.path(VALIDATION_ROWS).asLong(),
          o.path(TEST_ROWS).asLong(),
          o.path(PACKED_BYTES).asLong(),
          o.path(LAYOUT).asText(),
          o.path(SHARDS).asInt(),
          o.path(CORES).asInt(),
          o.path(BLAS).asText());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException(
          source + ": cannot read the study's file: " + e.getMessage(), e);
    }
  }

  /** {@code versions.json}: component name to version, in the caller's order. */
  public static String versionsJson(Map<String, String> versions) {
    ObjectNode o = Cells.JSON.createObjectNode();
    versions.forEach(o::put);
    return Cells.pretty(o);
  }
}
