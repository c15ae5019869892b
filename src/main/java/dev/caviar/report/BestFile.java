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

  // The file's keys, for the writer and the reader alike.
  private static final String STUDY = "study";
  private static final String METRIC = "metric";
  private static final String BEST = "best";
  private static final String CONFIGURATION = "configuration";
  private static final String TIES = "ties";
  private static final String FINAL = "final";
  private static final String SEED = "seed";
  private static final String EPOCHS = "epochs";
  private static final String TRAIN_ROWS = "trainRows";
  private static final String TEST_ROWS = "testRows";
  private static final String TEST_ACCURACY = "testAccuracy";
  private static final String TEST_LOSS = "testLoss";
  private static final String TRAINING_SECONDS = "trainingSeconds";
  private static final String MODEL = "model";

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
    o.put(STUDY, study);
    o.put(METRIC, metric.configName());
    o.set(BEST, TrialTable.node(best.winner()));
    o.set(CONFIGURATION, Cells.params(configuration));
    ArrayNode ties = o.putArray(TIES);
    for (TrialResult t : best.ties()) {
      ties.add(TrialTable.node(t));
    }
    ObjectNode f = o.putObject(FINAL);
    f.put(SEED, fin.seed());
    f.put(EPOCHS, fin.epochs());
    f.put(TRAIN_ROWS, fin.trainRows());
    f.put(TEST_ROWS, fin.testRows());
    f.put(TEST_ACCURACY, fin.testAccuracy());
    f.put(TEST_LOSS, fin.testLoss());
    f.put(TRAINING_SECONDS, fin.trainingSeconds());
    f.put(MODEL, fin.model());
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
      o.path(CONFIGURATION)
          .properties()
          .forEach(e -> configuration.put(e.getKey(), Cells.param(e.getValue())));
      List<TrialRecord> ties = new ArrayList<>();
      for (JsonNode t : o.path(TIES)) {
        ties.add(TrialTable.read(t));
      }
      JsonNode f = o.path(FINAL);
      return new Record(
          o.path(STUDY).asText(),
          Objective.parse(METRIC, o.path(METRIC).asText()),
          TrialTable.read(o.path(BEST)),
          configuration,
          ties,
          new Final(
              f.path(SEED).asLong(),
              f.path(EPOCHS).asInt(),
              f.path(TRAIN_ROWS).asLong(),
              f.path(TEST_ROWS).asLong(),
              Cells.dbl(f.get(TEST_ACCURACY)),
              Cells.dbl(f.get(TEST_LOSS)),
              Cells.dbl(f.get(TRAINING_SECONDS)),
              f.path(MODEL).asText()));
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
