package dev.caviar.watch;

import dev.caviar.config.WatchSpec;
import dev.caviar.report.WatchLog.Part;
import dev.caviar.report.WatchLog.Scored;
import dev.caviar.report.WatchLog.State;
import dev.caviar.space.ConfigName;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What a micro-batch does to the window and whether it fires a re-tune: a pure function of the
 * state before the batch and the batch's prequential counts, so that a replayed batch decides as
 * the first attempt did.
 */
final class WatchRules {
  private WatchRules() {}

  /** The rule that fired. */
  enum Reason implements ConfigName {
    NONE,
    /** No model yet and the window holds {@code watch.minRows} rows. */
    FIRST,
    /** The recent prequential accuracy fell more than {@code watch.drop} below the published. */
    DROP,
    /** {@code watch.everyRows} rows since the last re-tune. */
    EVERY
  }

  /**
   * The batch learned.
   *
   * @param window the window with the batch, trimmed to {@code watch.windowRows}
   * @param scored the current model's scored batches with this one that are still in the window
   * @param recentAccuracy the accuracy over the newest of them covering {@code watch.evaluateRows}
   *     rows, or null while there are fewer
   * @param rowsSinceTune rows since the last re-tune, this batch's included
   * @param reason the rule that fired
   * @param trainOn the parts a re-tune learns from: the window, or after a drop only the trailing
   *     batches that each fell below the threshold (the older rows describe another concept); a
   *     rule fires only when they hold {@code watch.minRows} rows
   */
  record Learned(
      List<Part> window,
      List<Scored> scored,
      Double recentAccuracy,
      long rowsSinceTune,
      Reason reason,
      List<Part> trainOn) {}

  /**
   * @param correct the rows the current model got right, or -1 when there is no model
   */
  static Learned learn(State prev, WatchSpec spec, long batch, long rows, long correct) {
    List<Part> window = new ArrayList<>(prev.window());
    if (rows > 0) {
      window.add(new Part(batch, rows));
    }
    trim(window, spec.windowRows());
    List<Scored> scored = new ArrayList<>(prev.scored());
    if (prev.version() > 0 && rows > 0) {
      scored.add(new Scored(batch, rows, correct));
    }
    // The batches of the current model that are still in the window: enough for the recent
    // accuracy and for finding where a drop began.
    Set<Long> inWindow = new HashSet<>();
    for (Part p : window) {
      inWindow.add(p.batch());
    }
    scored.removeIf(s -> !inWindow.contains(s.batch()));
    long recentRows = 0;
    long recentCorrect = 0;
    for (int i = scored.size() - 1; i >= 0 && recentRows < spec.evaluateRows(); i--) {
      recentRows += scored.get(i).rows();
      recentCorrect += scored.get(i).correct();
    }
    Double recent = recentRows >= spec.evaluateRows() ? (double) recentCorrect / recentRows : null;
    long sinceTune = prev.rowsSinceTune() + rows;
    long windowRows = window.stream().mapToLong(Part::rows).sum();
    Reason reason = Reason.NONE;
    List<Part> trainOn = window;
    if (prev.version() == 0) {
      if (windowRows >= spec.minRows()) {
        reason = Reason.FIRST;
      }
    } else if (recent != null && prev.publishedAccuracy() - recent > spec.drop()) {
      reason = Reason.DROP;
      trainOn = sinceDrop(window, scored, prev.publishedAccuracy() - spec.drop());
    } else if (spec.everyRows() > 0 && sinceTune >= spec.everyRows()) {
      reason = Reason.EVERY;
    }
    if (trainOn.stream().mapToLong(Part::rows).sum() < spec.minRows()) {
      // Too few rows to split into shards, validation and test rows: after a drop, the re-tune
      // waits for watch.minRows rows of the new concept (the rule fires again on the next batch).
      reason = Reason.NONE;
      trainOn = window;
    }
    return new Learned(window, scored, recent, sinceTune, reason, List.copyOf(trainOn));
  }

  /** Drops the oldest parts while the newer ones alone still fill the window. */
  static void trim(List<Part> window, long rows) {
    while (window.size() > 1
        && window.subList(1, window.size()).stream().mapToLong(Part::rows).sum() >= rows) {
      window.remove(0);
    }
  }

  /** The window from the first of the trailing batches that each fell below the threshold. */
  private static List<Part> sinceDrop(List<Part> window, List<Scored> scored, double threshold) {
    long from = Long.MAX_VALUE;
    for (int i = scored.size() - 1; i >= 0 && scored.get(i).accuracy() < threshold; i--) {
      from = scored.get(i).batch();
    }
    List<Part> out = new ArrayList<>();
    for (Part p : window) {
      if (p.batch() >= from) {
        out.add(p);
      }
    }
    return out;
  }
}
