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
    o.put("source", d.source());
    o.put("classes", d.classes());
    o.put("features", d.features());
    o.put("trainingRows", d.trainingRows());
    o.put("validationRows", d.validationRows());
    o.put("testRows", d.testRows());
    o.put("packedBytes", d.packedBytes());
    o.put("layout", d.layout());
    o.put("shards", d.shards());
    o.put("cores", d.cores());
    o.put("blas", d.blas());
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
          o.path("source").asText(),
          o.path("classes").asInt(),
          o.path("features").asInt(),
          o.path("trainingRows").asLong(),
          o.path("validationRows").asLong(),
          o.path("testRows").asLong(),
          o.path("packedBytes").asLong(),
          o.path("layout").asText(),
          o.path("shards").asInt(),
          o.path("cores").asInt(),
          o.path("blas").asText());
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
