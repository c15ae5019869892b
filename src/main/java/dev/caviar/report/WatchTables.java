package dev.caviar.report;

import dev.caviar.report.Column.Type;
import java.util.List;

/**
 * The tables {@code caviar watch} keeps under its directory, declared once: {@code monitor} (one
 * row per micro-batch: the prequential scores of the model that was current before the batch was
 * learned), {@code versions} (one row per published model) and {@code rejected} (one row per file
 * set aside). Each is a directory of Parquet parts, one part per batch, plus a CSV copy.
 */
public final class WatchTables {
  private WatchTables() {}

  /** Table names: the Parquet directory and, with {@code .csv}, the CSV copy. */
  public static final String MONITOR = "monitor";

  public static final String VERSIONS = "versions";
  public static final String REJECTED = "rejected";

  /**
   * One micro-batch.
   *
   * @param batch the streaming query's batch id
   * @param time when the batch was processed (epoch milliseconds)
   * @param files files in the batch, rejected ones included
   * @param rejectedFiles files set aside (see {@code rejected})
   * @param rows rows accepted
   * @param version the model that scored them, 0 when none existed
   * @param accuracy prequential accuracy of that model on the batch (null without a model)
   * @param loss its mean cross-entropy on the batch (null without a model)
   * @param recentAccuracy accuracy over the most recent rows the current model scored, the figure
   *     the drop rule watches (null until it has scored {@code watch.evaluateRows} rows)
   * @param windowRows rows in the window after the batch
   * @param reason the re-tune rule that fired, or {@code none}
   * @param published the version published after this batch, 0 for none
   */
  public record MonitorRow(
      long batch,
      long time,
      int files,
      int rejectedFiles,
      long rows,
      int version,
      Double accuracy,
      Double loss,
      Double recentAccuracy,
      long windowRows,
      String reason,
      int published) {}

  /**
   * One published model.
   *
   * @param version 1, 2, ...
   * @param batch the batch after which it was published
   * @param rows rows of the window it was tuned on
   * @param reason the rule that fired: {@code first}, {@code drop} or {@code every}
   * @param validation the winner's validation score (the study's metric)
   * @param testAccuracy its accuracy on the window's held-out rows: the accuracy it is published
   *     with, which the drop rule compares against
   * @param testLoss its loss on them
   * @param prequentialBefore the recent prequential accuracy of the model it replaces (null for the
   *     first)
   * @param study the study directory
   * @param time when it was published (epoch milliseconds)
   */
  public record VersionRow(
      int version,
      long batch,
      long rows,
      String reason,
      double validation,
      double testAccuracy,
      double testLoss,
      Double prequentialBefore,
      String study,
      long time) {}

  /** A file set aside, with the reader's message. */
  public record RejectedRow(long batch, String file, String reason, long time) {}

  public static final List<Column<MonitorRow>> MONITOR_COLUMNS =
      List.of(
          Column.of("batch", Type.LONG, MonitorRow::batch),
          Column.of("time", Type.LONG, MonitorRow::time),
          Column.of("files", Type.INT, MonitorRow::files),
          Column.of("rejectedFiles", Type.INT, MonitorRow::rejectedFiles),
          Column.of("rows", Type.LONG, MonitorRow::rows),
          Column.of("version", Type.INT, MonitorRow::version),
          nullable("accuracy", MonitorRow::accuracy),
          nullable("loss", MonitorRow::loss),
          nullable("recentAccuracy", MonitorRow::recentAccuracy),
          Column.of("windowRows", Type.LONG, MonitorRow::windowRows),
          Column.of("reason", Type.STRING, MonitorRow::reason),
          Column.of("published", Type.INT, MonitorRow::published));

  public static final List<Column<VersionRow>> VERSION_COLUMNS =
      List.of(
          Column.of("version", Type.INT, VersionRow::version),
          Column.of("batch", Type.LONG, VersionRow::batch),
          Column.of("rows", Type.LONG, VersionRow::rows),
          Column.of("reason", Type.STRING, VersionRow::reason),
          Column.of("validation", Type.DOUBLE, VersionRow::validation),
          Column.of("testAccuracy", Type.DOUBLE, VersionRow::testAccuracy),
          Column.of("testLoss", Type.DOUBLE, VersionRow::testLoss),
          nullable("prequentialBefore", VersionRow::prequentialBefore),
          Column.of("study", Type.STRING, VersionRow::study),
          Column.of("time", Type.LONG, VersionRow::time));

  public static final List<Column<RejectedRow>> REJECTED_COLUMNS =
      List.of(
          Column.of("batch", Type.LONG, RejectedRow::batch),
          Column.of("file", Type.STRING, RejectedRow::file),
          Column.of("reason", Type.STRING, RejectedRow::reason),
          Column.of("time", Type.LONG, RejectedRow::time));

  private static <R> Column<R> nullable(String name, java.util.function.Function<R, Object> v) {
    return new Column<>(name, Type.DOUBLE, true, Column.Carried.EVERYWHERE, v);
  }

  /** The flat form of some rows (their CSV and Parquet). */
  public static <R> FlatTable table(List<Column<R>> columns, List<R> rows) {
    return FlatTable.of(columns, List.of(), rows, (r, f) -> null);
  }

  /**
   * A CSV copy with {@code rows} as the rows of {@code key} (a batch, or a version): the lines of
   * earlier keys in {@code old} are kept, any line of this key or a later one (left by an
   * interrupted run) goes. The key is each line's first cell.
   */
  public static <R> String upsertCsv(String old, List<Column<R>> columns, long key, List<R> rows) {
    String fresh = table(columns, rows).csv();
    int headerEnd = fresh.indexOf('\n') + 1;
    StringBuilder out = new StringBuilder(fresh.substring(0, headerEnd));
    if (old != null) {
      String[] lines = old.split("\n");
      for (int i = 1; i < lines.length; i++) {
        String first = lines[i].split(",", 2)[0];
        if (!lines[i].isBlank() && Long.parseLong(first) < key) {
          out.append(lines[i]).append('\n');
        }
      }
    }
    return out.append(fresh.substring(headerEnd)).toString();
  }
}
