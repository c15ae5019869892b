package dev.caviar.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.caviar.report.WatchTables.MonitorRow;
import dev.caviar.report.WatchTables.RejectedRow;
import dev.caviar.report.WatchTables.VersionRow;
import java.util.List;

/**
 * The commit log of {@code caviar watch}: one JSON file per micro-batch, written (through a
 * temporary name and a rename) only when every effect of the batch that must precede it is on disk.
 * A batch whose file exists is done; the streaming query may replay it after a crash and the watch
 * then skips it. Each file holds the whole state after its batch, so only the last is ever read.
 */
public final class WatchLog {
  private WatchLog() {}

  /** The directory of the commit files under the watch directory. */
  public static final String DIR = "commits";

  /** A part of the window: the rows a batch accepted, kept as {@code window/batch-N}. */
  public record Part(long batch, long rows) {}

  /** A batch the current model scored before learning it. */
  public record Scored(long batch, long rows, long correct) {
    public double accuracy() {
      return rows == 0 ? Double.NaN : (double) correct / rows;
    }
  }

  /**
   * The state after a batch.
   *
   * @param batch the batch, -1 before the first
   * @param rows rows accepted so far
   * @param width the features every row has, 0 before the first row
   * @param classes the current model's classes, 0 without a model
   * @param version the current model, 0 for none
   * @param publishedAccuracy the accuracy the current model was published with
   * @param rowsSinceTune rows since the current model was published (or since the start)
   * @param window the parts of the window, oldest first
   * @param scored the batches the current model scored that are still in the window, oldest first
   * @param monitor the batch's monitor row (null before the first)
   * @param published the version the batch published, or null
   * @param rejected the files the batch set aside
   */
  public record State(
      long batch,
      long rows,
      int width,
      int classes,
      int version,
      Double publishedAccuracy,
      long rowsSinceTune,
      List<Part> window,
      List<Scored> scored,
      MonitorRow monitor,
      VersionRow published,
      List<RejectedRow> rejected) {
    public State {
      window = List.copyOf(window);
      scored = List.copyOf(scored);
      rejected = List.copyOf(rejected);
    }

    /** Before the first batch. */
    public static State initial() {
      return new State(-1, 0, 0, 0, 0, null, 0, List.of(), List.of(), null, null, List.of());
    }

    public long windowRows() {
      return window.stream().mapToLong(Part::rows).sum();
    }
  }

  /** The file name of a batch's commit, sortable as text. */
  public static String name(long batch) {
    return String.format(java.util.Locale.ROOT, "%012d.json", batch);
  }

  public static String write(State state) {
    try {
      return Cells.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(state) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the watch state: " + e, e);
    }
  }

  /**
   * @param where the file, for the message
   */
  public static State read(String text, String where) {
    try {
      return Cells.JSON.readValue(text, State.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          where + ": not a watch commit: " + e.getOriginalMessage(), e);
    }
  }
}
