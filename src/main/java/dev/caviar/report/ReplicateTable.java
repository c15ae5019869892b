package dev.caviar.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.caviar.nn.HalfScores;
import dev.caviar.report.Column.Carried;
import dev.caviar.report.Column.Type;
import dev.caviar.study.EpochRecord;
import dev.caviar.study.ReplicateScore;
import dev.caviar.study.Status;
import java.util.ArrayList;
import java.util.List;

/**
 * The replicates table, one row per (round, trial, shard): {@code replicates.csv}, {@code
 * replicates.parquet}, and {@code replicates.jsonl}, the exact record (with its learning curve)
 * that {@code --resume} reads back; doubles are written in their shortest round-tripping form, so a
 * resumed study sees bit-identical scores.
 */
public final class ReplicateTable {
  static final Column<ReplicateScore> ROUND = Column.of("round", Type.INT, ReplicateScore::round);
  static final Column<ReplicateScore> TRIAL = Column.of("trial", Type.INT, ReplicateScore::trial);
  static final Column<ReplicateScore> SHARD = Column.of("shard", Type.INT, ReplicateScore::shard);
  static final Column<ReplicateScore> SEED = Column.of("seed", Type.LONG, ReplicateScore::seed);
  static final Column<ReplicateScore> STATUS =
      Column.of("status", Type.STRING, r -> r.status().name());
  static final Column<ReplicateScore> ACCURACY =
      nullableDouble("validationAccuracy", ReplicateScore::validationAccuracy);
  static final Column<ReplicateScore> VALIDATION_LOSS =
      nullableDouble("validationLoss", ReplicateScore::validationLoss);
  static final Column<ReplicateScore> TRAIN_LOSS =
      nullableDouble("trainLoss", ReplicateScore::trainLoss);
  static final Column<ReplicateScore> EPOCHS_RUN =
      Column.of("epochsRun", Type.INT, ReplicateScore::epochsRun);
  static final Column<ReplicateScore> MILLIS =
      new Column<>(
          "trainingMillis", Type.LONG, false, Carried.FLAT, r -> r.trainingNanos() / 1_000_000);
  static final Column<ReplicateScore> NANOS =
      new Column<>("trainingNanos", Type.LONG, false, Carried.JSON, ReplicateScore::trainingNanos);
  static final Column<ReplicateScore> REASON =
      new Column<>("reason", Type.STRING, true, Carried.EVERYWHERE, ReplicateScore::reason);
  static final Column<ReplicateScore> INITIAL_LOSS =
      nullableDouble("initialLoss", ReplicateScore::initialLoss);
  static final Column<ReplicateScore> LN_CLASSES =
      nullableDouble("lnClasses", ReplicateScore::lnClasses);

  /**
   * Every epoch's update/weight ratios, per layer, in the flat tables (the JSON record holds them
   * in its curve): epochs separated by {@code ;}, layers, input side first, by spaces.
   */
  static final Column<ReplicateScore> UPDATE_RATIOS =
      new Column<>(
          "updateRatios", Type.STRING, true, Carried.FLAT, ReplicateTable::updateRatiosText);

  static final Column<ReplicateScore> MIN_RATIO =
      new Column<>(
          "updateRatioMin", Type.DOUBLE, true, Carried.FLAT, ReplicateScore::minUpdateRatio);
  static final Column<ReplicateScore> MAX_RATIO =
      new Column<>(
          "updateRatioMax", Type.DOUBLE, true, Carried.FLAT, ReplicateScore::maxUpdateRatio);

  /** The babysitting warnings ({@link ReplicateScore#babysitting()}); empty when none. */
  static final Column<ReplicateScore> BABYSITTING =
      new Column<>(
          "babysitting",
          Type.STRING,
          true,
          Carried.FLAT,
          r -> r.babysitting().isEmpty() ? null : r.babysitting());

  static final Column<ReplicateScore> EXECUTOR =
      new Column<>("executor", Type.STRING, true, Carried.EVERYWHERE, ReplicateScore::executor);
  static final Column<ReplicateScore> BLAS =
      new Column<>("blas", Type.STRING, true, Carried.EVERYWHERE, ReplicateScore::blas);

  // The validation scores on the even (A) and odd (B) positions of the validation rows; a table
  // written before they were recorded lacks them, and reads back as HalfScores.NONE.
  static final Column<ReplicateScore> ACCURACY_A =
      nullableDouble("validationAccuracyA", r -> r.validationHalves().accuracyA());
  static final Column<ReplicateScore> ACCURACY_B =
      nullableDouble("validationAccuracyB", r -> r.validationHalves().accuracyB());
  static final Column<ReplicateScore> LOSS_A =
      nullableDouble("validationLossA", r -> r.validationHalves().lossA());
  static final Column<ReplicateScore> LOSS_B =
      nullableDouble("validationLossB", r -> r.validationHalves().lossB());

  /** The columns in the order every format writes them. */
  public static final List<Column<ReplicateScore>> COLUMNS =
      List.of(
          ROUND,
          TRIAL,
          SHARD,
          SEED,
          STATUS,
          ACCURACY,
          VALIDATION_LOSS,
          TRAIN_LOSS,
          EPOCHS_RUN,
          MILLIS,
          NANOS,
          REASON,
          INITIAL_LOSS,
          LN_CLASSES,
          UPDATE_RATIOS,
          MIN_RATIO,
          MAX_RATIO,
          BABYSITTING,
          EXECUTOR,
          BLAS,
          ACCURACY_A,
          ACCURACY_B,
          LOSS_A,
          LOSS_B);

  private static final String CURVE = "curve";

  private ReplicateTable() {}

  private static Column<ReplicateScore> nullableDouble(
      String name, java.util.function.ToDoubleFunction<ReplicateScore> f) {
    return new Column<>(name, Type.DOUBLE, true, Carried.EVERYWHERE, r -> f.applyAsDouble(r));
  }

  private static String updateRatiosText(ReplicateScore r) {
    StringBuilder sb = new StringBuilder();
    for (EpochRecord e : r.curve()) {
      if (e.updateRatios().isEmpty()) {
        continue;
      }
      if (sb.length() > 0) {
        sb.append(';');
      }
      for (int k = 0; k < e.updateRatios().size(); k++) {
        sb.append(k > 0 ? " " : "")
            .append(String.format(java.util.Locale.ROOT, "%.3g", e.updateRatios().get(k)));
      }
    }
    return sb.length() == 0 ? null : sb.toString();
  }

  /** The flat form, for CSV and Parquet. */
  public static FlatTable flat(List<ReplicateScore> rows) {
    return FlatTable.of(COLUMNS, List.of(), rows, (r, f) -> null);
  }

  /** JSON lines, one replicate a line, with its learning curve. */
  public static String jsonLines(List<ReplicateScore> rows) {
    StringBuilder sb = new StringBuilder();
    for (ReplicateScore r : rows) {
      ObjectNode o = Cells.JSON.createObjectNode();
      for (Column<ReplicateScore> c : COLUMNS) {
        if (c.inJson()) {
          c.put(o, r);
        }
      }
      ArrayNode curve = o.putArray(CURVE);
      for (EpochRecord e : r.curve()) {
        ArrayNode row = curve.addArray();
        row.add(e.epoch());
        Cells.addNum(row, e.trainLoss());
        Cells.addNum(row, e.validationLoss());
        Cells.addNum(row, e.validationAccuracy());
        if (!e.updateRatios().isEmpty()) {
          ArrayNode ratios = row.addArray();
          e.updateRatios().forEach(q -> Cells.addNum(ratios, q));
        }
      }
      sb.append(Cells.line(o)).append('\n');
    }
    return sb.toString();
  }

  /**
   * Reads back {@link #jsonLines}.
   *
   * @param source the file's name, for error messages
   * @throws IllegalArgumentException naming the file and line of a record that cannot be read
   */
  public static List<ReplicateScore> read(String text, String source) {
    List<ReplicateScore> out = new ArrayList<>();
    String[] lines = text.split("\n");
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].isBlank()) {
        continue;
      }
      try {
        JsonNode o = Cells.JSON.readTree(lines[i]);
        List<EpochRecord> curve = new ArrayList<>();
        for (JsonNode row : o.path(CURVE)) {
          List<Double> ratios = new ArrayList<>();
          for (JsonNode q : row.path(4)) {
            ratios.add(Cells.dbl(q));
          }
          curve.add(
              new EpochRecord(
                  row.get(0).asInt(),
                  Cells.dbl(row.get(1)),
                  Cells.dbl(row.get(2)),
                  Cells.dbl(row.get(3)),
                  ratios));
        }
        out.add(
            new ReplicateScore(
                ROUND.readInt(o),
                TRIAL.readInt(o),
                SHARD.readInt(o),
                SEED.readLong(o),
                Status.valueOf(STATUS.readString(o)),
                ACCURACY.readDouble(o),
                VALIDATION_LOSS.readDouble(o),
                TRAIN_LOSS.readDouble(o),
                EPOCHS_RUN.readInt(o),
                REASON.readString(o),
                curve,
                NANOS.readLong(o),
                INITIAL_LOSS.readDouble(o),
                LN_CLASSES.readDouble(o),
                EXECUTOR.readString(o),
                BLAS.readString(o),
                new HalfScores(
                    ACCURACY_A.readDouble(o),
                    ACCURACY_B.readDouble(o),
                    LOSS_A.readDouble(o),
                    LOSS_B.readDouble(o))));
      } catch (com.fasterxml.jackson.core.JsonProcessingException | RuntimeException e) {
        throw new IllegalArgumentException(
            source + ": line " + (i + 1) + ": not a replicate record: " + e.getMessage(), e);
      }
    }
    return out;
  }
}
