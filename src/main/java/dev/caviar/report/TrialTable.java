package dev.caviar.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.caviar.report.Column.Type;
import dev.caviar.study.Objective;
import dev.caviar.study.Status;
import dev.caviar.study.TrialResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The trials table, one row per (round, trial): {@code trials.csv} and {@code trials.parquet} with
 * a column per hyperparameter (empty where inactive), {@code trials.json} with the hyperparameters
 * as an object per trial. Read back as {@link TrialRecord}s.
 */
public final class TrialTable {
  static final Column<TrialResult> ROUND = Column.of("round", Type.INT, r -> r.trial().round());
  static final Column<TrialResult> TRIAL = Column.of("trial", Type.INT, r -> r.trial().number());
  static final Column<TrialResult> CARRIED_FROM =
      Column.of("carriedFrom", Type.INT, r -> r.trial().carriedFrom());
  static final Column<TrialResult> EPOCHS = Column.of("epochs", Type.INT, r -> r.trial().epochs());
  static final Column<TrialResult> SEED = Column.of("seed", Type.LONG, r -> r.trial().seed());
  static final Column<TrialResult> STATUS =
      Column.of("status", Type.STRING, r -> r.status().name());
  static final Column<TrialResult> METRIC =
      Column.of("metric", Type.STRING, r -> r.objective().configName());
  static final Column<TrialResult> MEAN = score("mean", TrialResult::mean);
  static final Column<TrialResult> STD = score("std", TrialResult::std);
  static final Column<TrialResult> N = Column.of("n", Type.INT, TrialResult::n);
  static final Column<TrialResult> MIN = score("min", TrialResult::min);
  static final Column<TrialResult> MAX = score("max", TrialResult::max);
  static final Column<TrialResult> DIVERGED =
      Column.of("diverged", Type.INT, TrialResult::diverged);
  static final Column<TrialResult> FAILED = Column.of("failed", Type.INT, TrialResult::failed);

  /** The fixed columns, in the order every format writes them; the hyperparameters follow. */
  public static final List<Column<TrialResult>> COLUMNS =
      List.of(
          ROUND,
          TRIAL,
          CARRIED_FROM,
          EPOCHS,
          SEED,
          STATUS,
          METRIC,
          MEAN,
          STD,
          N,
          MIN,
          MAX,
          DIVERGED,
          FAILED);

  /** The JSON key of the hyperparameters object. */
  static final String PARAMS = "params";

  private TrialTable() {}

  private static Column<TrialResult> score(
      String name, java.util.function.ToDoubleFunction<TrialResult> f) {
    return new Column<>(name, Type.DOUBLE, true, Column.Carried.EVERYWHERE, f::applyAsDouble);
  }

  /**
   * The flat form, for CSV and Parquet: the fixed columns, then one per hyperparameter in name
   * order, typed by its first value (numbers as doubles, booleans, else text).
   */
  public static FlatTable flat(List<TrialResult> rows) {
    Map<String, Type> params = new TreeMap<>();
    for (TrialResult r : rows) {
      for (Map.Entry<String, Object> e : r.trial().params().entrySet()) {
        Object v = e.getValue();
        params.putIfAbsent(
            e.getKey(),
            v instanceof Number ? Type.DOUBLE : v instanceof Boolean ? Type.BOOLEAN : Type.STRING);
      }
    }
    List<FlatTable.Field> extra = new ArrayList<>();
    params.forEach((name, type) -> extra.add(new FlatTable.Field(name, type, true)));
    return FlatTable.of(COLUMNS, extra, rows, (r, f) -> r.trial().params().get(f.name()));
  }

  /** One trial result as a JSON object (the hyperparameters as an object). */
  public static ObjectNode node(TrialResult r) {
    ObjectNode o = Cells.JSON.createObjectNode();
    for (Column<TrialResult> c : COLUMNS) {
      c.put(o, r);
    }
    o.set(PARAMS, Cells.params(r.trial().params()));
    return o;
  }

  /** The trial results as a JSON array. */
  public static String json(List<TrialResult> rows) {
    ArrayNode arr = Cells.JSON.createArrayNode();
    for (TrialResult r : rows) {
      arr.add(node(r));
    }
    return Cells.pretty(arr);
  }

  /** Reads one object written by {@link #node}. */
  public static TrialRecord read(JsonNode t) {
    Map<String, Object> params = new LinkedHashMap<>();
    t.path(PARAMS).properties().forEach(e -> params.put(e.getKey(), Cells.param(e.getValue())));
    return new TrialRecord(
        ROUND.readInt(t),
        TRIAL.readInt(t),
        CARRIED_FROM.readInt(t),
        EPOCHS.readInt(t),
        SEED.readLong(t),
        Status.valueOf(STATUS.readString(t)),
        Objective.parse(METRIC.name(), METRIC.readString(t)),
        MEAN.readDouble(t),
        STD.readDouble(t),
        N.readInt(t),
        MIN.readDouble(t),
        MAX.readDouble(t),
        DIVERGED.readInt(t),
        FAILED.readInt(t),
        params);
  }

  /**
   * Reads back {@link #json}.
   *
   * @param source the file's name, for error messages
   * @throws IllegalArgumentException naming the file when it is not a trials table
   */
  public static List<TrialRecord> read(String text, String source) {
    try {
      JsonNode arr = Cells.JSON.readTree(text);
      if (!arr.isArray()) {
        throw new IllegalArgumentException("not a JSON array");
      }
      List<TrialRecord> out = new ArrayList<>();
      for (JsonNode t : arr) {
        out.add(read(t));
      }
      return out;
    } catch (com.fasterxml.jackson.core.JsonProcessingException | RuntimeException e) {
      throw new IllegalArgumentException(
          source + ": cannot read the study's file: " + e.getMessage(), e);
    }
  }
}
