package dev.caviar.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.caviar.study.ReplicateScore;
import dev.caviar.study.RoundRecord;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The files of one round directory and how each is made. The round loop asks for the text files and
 * the Parquet tables (which it writes through Spark) and writes them all before the round's marker;
 * readers find each file through the names declared here.
 */
public final class RoundFiles {
  public static final String TIMING = "timing.json";
  public static final String TRIALS_CSV = "trials.csv";
  public static final String TRIALS_JSON = "trials.json";
  public static final String TRIALS_PARQUET = "trials.parquet";
  public static final String REPLICATES_CSV = "replicates.csv";
  public static final String REPLICATES_JSON = "replicates.jsonl";
  public static final String REPLICATES_PARQUET = "replicates.parquet";
  public static final String REGION = RegionFile.NAME;

  private RoundFiles() {}

  /**
   * The round's text files by name, in the order they are written.
   *
   * @param timing the round's timing as a JSON tree (the round loop owns what it measures)
   */
  public static Map<String, String> texts(
      RoundRecord rec, List<ReplicateScore> scores, JsonNode timing) {
    Map<String, String> files = new LinkedHashMap<>();
    files.put(TIMING, Cells.pretty(timing));
    files.put(TRIALS_CSV, TrialTable.flat(rec.results()).csv());
    files.put(TRIALS_JSON, TrialTable.json(rec.results()));
    files.put(REPLICATES_CSV, ReplicateTable.flat(scores).csv());
    files.put(REPLICATES_JSON, ReplicateTable.jsonLines(scores));
    files.put(REGION, RegionFile.json(rec));
    return files;
  }

  /** The round's tables in their flat form, by Parquet file name. */
  public static Map<String, FlatTable> tables(RoundRecord rec, List<ReplicateScore> scores) {
    Map<String, FlatTable> tables = new LinkedHashMap<>();
    tables.put(TRIALS_PARQUET, TrialTable.flat(rec.results()));
    tables.put(REPLICATES_PARQUET, ReplicateTable.flat(scores));
    return tables;
  }

  /** A file of round {@code round}, relative to the study directory. */
  public static String path(StudyDirectory dir, int round, String name) {
    return dir.roundPath(round) + "/" + name;
  }
}
