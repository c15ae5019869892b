package dev.caviar.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.caviar.study.Best;
import dev.caviar.study.CrossFitEstimate;
import dev.caviar.study.Objective;
import dev.caviar.study.Status;
import dev.caviar.study.TrialResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code best.json}: the best configuration, the trials tied with it, the final model's test score
 * and what the final model is expected to score. Written at the end of a study (its presence means
 * the study finished), read by {@code caviar show}, the report and pipelines.
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
  private static final String KIND = "kind";
  private static final String SAVED = "saved";
  private static final String SINGLE = "single";
  private static final String ENSEMBLE = "ensemble";
  private static final String MEMBERS = "members";
  private static final String ROLE = "role";
  private static final String INDEX = "index";
  private static final String ROWS = "rows";
  private static final String STATUS = "status";
  private static final String REASON = "reason";
  private static final String EXECUTOR = "executor";
  private static final String BLAS = "blas";
  private static final String MIXED_BLAS = "mixedBlas";
  private static final String EXPECTED = "expected";
  private static final String VALIDATION = "validation";
  private static final String SELECTION_CORRECTED = "selectionCorrected";
  private static final String METHOD = "method";
  private static final String PICKED_BY_A = "pickedByA";
  private static final String PICKED_BY_B = "pickedByB";
  private static final String POOL = "pool";
  private static final String TEST = "test";

  private BestFile() {}

  /**
   * The final model: the best configuration trained on the executors, one member per shard (shard
   * ensemble) or per seed (seed ensemble), the members' class probabilities averaged.
   *
   * @param seed the first member's seed (the single model's)
   * @param trainRows rows the final model learnt from (all members together for a shard ensemble)
   * @param testAccuracy the saved model's test accuracy ({@code saved} says which of the two)
   * @param kind {@code shard ensemble}, {@code seed ensemble} (retrained), {@code last round} (the
   *     last round's networks, {@code final.train = lastRound}) or {@code last round continued}
   *     ({@code final.train = continue}), the last two followed by {@code " + seed ensemble"} or
   *     {@code " + shard ensemble"} when {@code final.retrained} added retrained networks; empty in
   *     files written before
   * @param saved {@code single} or {@code ensemble}: which model was saved
   * @param single the first usable member alone, scored on the test rows
   * @param ensemble the average of every usable member, scored on the test rows
   * @param mixedBlas whether the members ran on more than one BLAS implementation
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
      String model,
      String kind,
      String saved,
      Score single,
      Score ensemble,
      List<Member> members,
      boolean mixedBlas) {
    public Final {
      members = List.copyOf(members);
    }
  }

  /** A model's test score. */
  public record Score(double testAccuracy, double testLoss) {}

  /**
   * One member of the final ensemble.
   *
   * @param role {@code shard} (its index is the shard it trained on), {@code member} (a seed) or
   *     {@code trial} (a last-round network: its index is the trial's number, its seed the
   *     replicate's)
   * @param status {@code OK} or {@code DIVERGED} (then {@code reason} says why)
   * @param executor the executor that trained it, and {@code blas} the BLAS it loaded there
   */
  public record Member(
      String role,
      int index,
      long seed,
      long rows,
      Status status,
      String reason,
      String executor,
      String blas,
      double trainingSeconds) {}

  /**
   * What the final model is expected to score, in the metric's units, stated three ways: the
   * winner's validation score (optimistic: the best of many trials on the same rows), the same
   * corrected for that selection ({@link CrossFitEstimate}), and the final model's test score.
   *
   * @param validation the winner's mean validation score
   * @param selectionCorrected the {@link CrossFitEstimate}; NaN when not available
   * @param method how it was made, or why it is not available
   * @param pickedByA the trial the even validation rows picked (-1 when not available)
   * @param pickedByB the trial the odd validation rows picked (-1 when not available)
   * @param pool the last round's OK trials it ranked (0 when not available)
   * @param test the final model's test score; NaN without test rows
   */
  public record Expected(
      double validation,
      double selectionCorrected,
      String method,
      int pickedByA,
      int pickedByB,
      int pool,
      double test) {

    /** Not available: the replicates of the last round keep no half scores. */
    static final String NOT_AVAILABLE =
        "not available: the last round's replicates keep no scores on the halves of their"
            + " validation rows (written before they were recorded)";

    static Expected of(Objective metric, Best best, CrossFitEstimate estimate, Final fin) {
      double test = metric == Objective.ACCURACY ? fin.testAccuracy() : fin.testLoss();
      double validation = best.winner().mean();
      if (estimate == null) {
        return new Expected(validation, Double.NaN, NOT_AVAILABLE, -1, -1, 0, test);
      }
      return new Expected(
          validation,
          estimate.estimate(),
          estimate.method(),
          estimate.pickedByA(),
          estimate.pickedByB(),
          estimate.pool(),
          test);
    }

    /** Whether a selection-corrected estimate was made. */
    public boolean available() {
      return !Double.isNaN(selectionCorrected);
    }
  }

  /**
   * {@code best.json} as read back.
   *
   * @param configuration every hyperparameter of the final model (searched and fixed), and its
   *     epochs
   * @param expected what the final model is expected to score; null in files written before it
   */
  public record Record(
      String study,
      Objective metric,
      TrialRecord best,
      Map<String, Object> configuration,
      List<TrialRecord> ties,
      Final fin,
      Expected expected) {
    public Record {
      configuration = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(configuration));
      ties = List.copyOf(ties);
    }
  }

  /**
   * The file's text.
   *
   * @param estimate the winner's score corrected for selection; null when the replicates keep no
   *     half scores
   */
  public static String json(
      String study,
      Objective metric,
      Best best,
      Map<String, Object> configuration,
      Final fin,
      CrossFitEstimate estimate) {
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
    f.put(KIND, fin.kind());
    f.put(SAVED, fin.saved());
    f.set(SINGLE, score(fin.single()));
    f.set(ENSEMBLE, score(fin.ensemble()));
    ArrayNode members = f.putArray(MEMBERS);
    for (Member m : fin.members()) {
      ObjectNode x = members.addObject();
      x.put(ROLE, m.role());
      x.put(INDEX, m.index());
      x.put(SEED, m.seed());
      x.put(ROWS, m.rows());
      x.put(STATUS, m.status().name());
      if (m.reason() != null) {
        x.put(REASON, m.reason());
      }
      x.put(EXECUTOR, m.executor());
      x.put(BLAS, m.blas());
      x.put(TRAINING_SECONDS, m.trainingSeconds());
    }
    f.put(MIXED_BLAS, fin.mixedBlas());
    f.put(MODEL, fin.model());
    o.set(EXPECTED, expected(Expected.of(metric, best, estimate, fin)));
    return Cells.pretty(o);
  }

  private static ObjectNode expected(Expected e) {
    ObjectNode x = Cells.JSON.createObjectNode();
    x.put(VALIDATION, e.validation());
    putOrNull(x, SELECTION_CORRECTED, e.selectionCorrected());
    x.put(METHOD, e.method());
    if (e.available()) {
      x.put(PICKED_BY_A, e.pickedByA());
      x.put(PICKED_BY_B, e.pickedByB());
      x.put(POOL, e.pool());
    }
    putOrNull(x, TEST, e.test());
    return x;
  }

  private static void putOrNull(ObjectNode o, String key, double v) {
    if (Double.isFinite(v)) {
      o.put(key, v);
    } else {
      o.putNull(key);
    }
  }

  // Null when the file was written before "expected" was.
  private static Expected readExpected(JsonNode x) {
    if (x.isMissingNode() || x.isNull()) {
      return null;
    }
    return new Expected(
        Cells.dbl(x.get(VALIDATION)),
        Cells.dbl(x.get(SELECTION_CORRECTED)),
        x.path(METHOD).asText(),
        x.path(PICKED_BY_A).asInt(-1),
        x.path(PICKED_BY_B).asInt(-1),
        x.path(POOL).asInt(0),
        Cells.dbl(x.get(TEST)));
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
              f.path(MODEL).asText(),
              f.path(KIND).asText(),
              f.path(SAVED).asText(),
              readScore(f.path(SINGLE)),
              readScore(f.path(ENSEMBLE)),
              readMembers(f.path(MEMBERS)),
              f.path(MIXED_BLAS).asBoolean()),
          readExpected(o.path(EXPECTED)));
    } catch (com.fasterxml.jackson.core.JsonProcessingException | RuntimeException e) {
      throw new IllegalArgumentException(
          source + ": cannot read the study's file: " + e.getMessage(), e);
    }
  }

  private static ObjectNode score(Score s) {
    ObjectNode n = Cells.JSON.createObjectNode();
    n.put(TEST_ACCURACY, s.testAccuracy());
    n.put(TEST_LOSS, s.testLoss());
    return n;
  }

  private static Score readScore(JsonNode n) {
    return new Score(Cells.dbl(n.get(TEST_ACCURACY)), Cells.dbl(n.get(TEST_LOSS)));
  }

  private static List<Member> readMembers(JsonNode array) {
    List<Member> out = new ArrayList<>();
    for (JsonNode x : array) {
      out.add(
          new Member(
              x.path(ROLE).asText(),
              x.path(INDEX).asInt(),
              x.path(SEED).asLong(),
              x.path(ROWS).asLong(),
              Status.valueOf(x.path(STATUS).asText()),
              x.hasNonNull(REASON) ? x.get(REASON).asText() : null,
              x.path(EXECUTOR).asText(),
              x.path(BLAS).asText(),
              Cells.dbl(x.get(TRAINING_SECONDS))));
    }
    return out;
  }

  /** Reads the study's {@code best.json}, or null when the study has not finished. */
  public static Record readIfPresent(StudyDirectory dir) {
    if (!dir.exists(NAME)) {
      return null;
    }
    return read(dir.readText(NAME), dir.resolve(NAME).toString());
  }
}
