package dev.caviar.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.caviar.study.ReplicateScore;
import dev.caviar.study.TrialResult;
import java.util.List;
import java.util.Map;

/**
 * The study's tables as text that opens anywhere: CSV for people and spreadsheets, JSON as the
 * exact record that {@code --resume} and the report read back. The columns are declared once, in
 * {@link ReplicateTable} and {@link TrialTable}; this class is the entry point the writers use.
 */
public final class ResultTables {
  private ResultTables() {}

  /** One row per (round, trial, shard). */
  public static String replicatesCsv(List<ReplicateScore> rows) {
    return ReplicateTable.flat(rows).csv();
  }

  /** One row per (round, trial), with a column per hyperparameter (empty where inactive). */
  public static String trialsCsv(List<TrialResult> rows) {
    return TrialTable.flat(rows).csv();
  }

  /** The trial results as a JSON array (parameters as an object per trial). */
  public static String trialsJson(List<TrialResult> rows) {
    return TrialTable.json(rows);
  }

  public static ObjectNode trialNode(TrialResult r) {
    return TrialTable.node(r);
  }

  public static ObjectNode params(Map<String, Object> params) {
    return Cells.params(params);
  }

  /** JSON lines, one replicate a line, with its learning curve. */
  public static String replicatesJsonLines(List<ReplicateScore> rows) {
    return ReplicateTable.jsonLines(rows);
  }

  /**
   * Reads back {@link #replicatesJsonLines}.
   *
   * @param source the file's name, for error messages
   */
  public static List<ReplicateScore> readReplicates(String text, String source) {
    return ReplicateTable.read(text, source);
  }

  /** Indented JSON text with a final newline: every JSON file a study writes. */
  public static String pretty(JsonNode node) {
    return Cells.pretty(node);
  }
}
