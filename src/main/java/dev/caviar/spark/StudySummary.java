package dev.caviar.spark;

import dev.caviar.report.BestFile;
import dev.caviar.report.FlatTable;
import dev.caviar.report.TrialRecord;
import dev.caviar.report.TrialTable;
import dev.caviar.study.RoundRecord;
import dev.caviar.study.TrialResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * The study behind a {@link TunedModel}, as {@code model.summary()} gives it: every round's trials
 * (the columns of {@code rounds/round-NNN/trials.parquet}, one table for the whole study), and
 * {@code best.json} (the best configuration, its statistical ties, the final model's test score).
 * Small (a row per trial), kept on the driver, and saved and loaded with the model.
 */
public final class StudySummary {
  private final StructType schema;
  private final List<Row> trials;
  private final String bestJson;
  private final BestFile.Record best;

  StudySummary(StructType schema, List<Row> trials, String bestJson) {
    this.schema = schema;
    this.trials = List.copyOf(trials);
    this.bestJson = bestJson;
    this.best = BestFile.read(bestJson, "the model's study summary");
  }

  /** The summary of a finished study: its rounds' trials and its {@code best.json} text. */
  static StudySummary of(List<RoundRecord> rounds, String bestJson) {
    List<TrialResult> all = new ArrayList<>();
    for (RoundRecord r : rounds) {
      all.addAll(r.results());
    }
    FlatTable table = TrialTable.flat(all);
    return new StudySummary(ParquetTables.schema(table), ParquetTables.rows(table), bestJson);
  }

  /** One row per trial of every round, as the study's {@code trials.parquet} files hold them. */
  public Dataset<Row> trials() {
    return SparkSession.active().createDataFrame(trials, schema);
  }

  /** Every hyperparameter of the final model (searched and fixed), and its epochs. */
  public Map<String, Object> bestConfiguration() {
    return best.configuration();
  }

  /** The winning trial of the last round. */
  public TrialRecord bestTrial() {
    return best.best();
  }

  /** The trials the data cannot tell from the winner. */
  public List<TrialRecord> ties() {
    return best.ties();
  }

  /** The saved model's accuracy on the test rows. */
  public double testAccuracy() {
    return best.fin().testAccuracy();
  }

  /** The saved model's mean cross-entropy on the test rows. */
  public double testLoss() {
    return best.fin().testLoss();
  }

  /** {@code best.json} as read back, everything it records. */
  public BestFile.Record best() {
    return best;
  }

  /** The {@code best.json} text the summary was made from. */
  public String bestJson() {
    return bestJson;
  }

  StructType schema() {
    return schema;
  }

  List<Row> rows() {
    return trials;
  }
}
