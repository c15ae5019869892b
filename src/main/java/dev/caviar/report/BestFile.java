package dev.caviar.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.caviar.study.Best;
import dev.caviar.study.Objective;
import dev.caviar.study.TrialResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code best.json}: the best configuration, the trials tied with it and the final model's test
 * score. Written at the end of a study (its presence means the study finished), read by {@code
 * caviar show}, the report and pipelines.
 */
public final class BestFile {
  public static final String NAME = "best.json";

  private BestFile() {}

  /**
   * The final model: the best configuration retrained on all training rows.
   *
   * @param model the saved model's path
   */
  public record Final(
      long seed,
      int epochs,
      long trainRows,
      long testRows,
      double testAccuracy,
      double testLoss,
      double trainingSeconds,
      String model) {}

  /**
   * {@code best.json} as read back.
   *
   * @param configuration every hyperparameter of the final model (searched and fixed), and its
   *     epochs
   */
  public record Record(
      String study,
      Objective metric,
      TrialRecord best,
      Map<String, Object> configuration,
      List<TrialRecord> ties,
      Final fin) {
    public Record {
      configuration = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(configuration));
      ties = List.copyOf(ties);
    }
  }

  public static String json(
      String study, Objective metric, Best best, Map<String, Object> configuration, Final fin) {
    ObjectNode o = Cells.JSON.createObjectNode();
    o.put("study", study);
    o.put("metric", metric.configName());
    o.set("best", TrialTable.node(best.winner()));
    o.set("configuration", Cells.params(configuration));
    ArrayNode ties = o.putArray("ties");
    for (TrialResult t : best.ties()) {
      ties.add(TrialTable.node(t));
    }
    ObjectNode f = o.putObject("final");
    f.put("seed", fin.seed());
    f.put("epochs", fin.epochs());
    f.put("trainRows", fin.trainRows());
    f.put("testRows", fin.testRows());
    f.put("testAccuracy", fin.testAccuracy());
    f.put("testLoss", fin.testLoss());
    f.put("trainingSeconds", fin.trainingSeconds());
    f.put("model", fin.model());
    return Cells.pretty(o);
  }

  /**
   * Reads {@code best.json}.
   *
   * @param source the file's name, for error messages
   * @throws IllegalArgumentException naming the file when it cannot be read
   */
  public static Record read(String text, String source) {
    try {
      JsonNode o = Cells.JSON.readTree(text);
      Map<String, Object> configuration = new LinkedHashMap<>();
      o.path("configuration")
          .properties()
          .forEach(e -> configuration.put(e.getKey(), Cells.param(e.getValue())));
      List<TrialRecord> ties = new ArrayList<>();
      for (JsonNode t : o.path("ties")) {
        ties.add(TrialTable.read(t));
      }
      JsonNode f = o.path("final");
      return new Record(
          o.path("study").asText(),
          Objective.parse("metric", o.path("metric").asText()),
          TrialTable.read(o.path("best")),
          configuration,
          ties,
          new Final(
              f.path("seed").asLong(),
              f.path("epochs").asInt(),
              f.path("trainRows").asLong(),
              f.path("testRows").asLong(),
              Cells.dbl(f.get("testAccuracy")),
              Cells.dbl(f.get("testLoss")),
              Cells.dbl(f.get("trainingSeconds")),
              f.path("model").asText()));
    } catch (com.fasterxml.jackson.core.JsonProcessingException | RuntimeException e) {
      throw new IllegalArgumentException(
          source + ": cannot read the study's file: " + e.getMessage(), e);
    }
  }

  /** Reads the study's {@code best.json}, or null when the study has not finished. */
  public static Record readIfPresent(StudyDirectory dir) {
    if (!dir.exists(NAME)) {
      return null;
    }
    return read(dir.readText(NAME), dir.resolve(NAME).toString());
  }
}
