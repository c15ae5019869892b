package dev.caviar.watch;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import dev.caviar.config.WatchSpec;
import dev.caviar.data.ArrivingFiles;
import dev.caviar.data.DataException;
import dev.caviar.report.WatchLog.Part;
import dev.caviar.report.WatchLog.Scored;
import dev.caviar.report.WatchLog.State;
import dev.caviar.report.WatchTables;
import dev.caviar.report.WatchTables.MonitorRow;
import dev.caviar.report.WatchTables.RejectedRow;
import dev.caviar.report.WatchTables.VersionRow;
import dev.caviar.spark.NoUsableTrialException;
import dev.caviar.spark.ParquetTables;
import dev.caviar.spark.TunedModel;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One micro-batch, made idempotent by its batch id (Spark's {@code foreachBatch} is at least once):
 * read and check its files, score the current model on the accepted rows before learning them, add
 * them to the window, decide, re-tune and publish, then commit the whole state under the batch id.
 * A batch already committed is skipped; one that was not is done again from the state before it,
 * with the same files (Spark's offset log fixed them), to the same result.
 *
 * <p>The tables and the {@code CURRENT} pointer are written after the commit, from it, and again at
 * every start from the last commit, so they never hold a batch the log does not and never miss one.
 */
final class BatchStep {
  private static final Logger LOG = LoggerFactory.getLogger(BatchStep.class);
  private static final String PROBABILITY = "probability";
  private static final String PREDICTION = "prediction";

  private final SparkSession spark;
  private final WatchSpec spec;
  private final WatchDirectory dir;
  private final Watch.Listener listener;
  private TunedModel model;
  private int modelVersion;

  BatchStep(SparkSession spark, WatchSpec spec, WatchDirectory dir, Watch.Listener listener) {
    this.spark = spark;
    this.spec = spec;
    this.dir = dir;
    this.listener = listener;
  }

  void apply(Dataset<Row> files, long batch) {
    State prev = dir.last();
    if (prev.batch() >= batch) {
      LOG.info("batch {} already committed (a replay after a restart): skipped", batch);
      return;
    }
    List<String> paths =
        new ArrayList<>(files.select("path").as(Encoders.STRING()).collectAsList());
    paths.sort(null);
    long now = System.currentTimeMillis();
    List<RejectedRow> rejected = new ArrayList<>();
    List<ArrivingFiles.Checked> accepted = new ArrayList<>();
    try {
      int width = prev.width();
      for (String path : paths) {
        try {
          ArrivingFiles.Checked c =
              ArrivingFiles.read(spark, spec.study().data(), path, width, prev.classes());
          width = c.width();
          accepted.add(c);
        } catch (DataException e) {
          RejectedRow r = new RejectedRow(batch, path, e.getMessage(), now);
          rejected.add(r);
          listener.rejected(r);
        }
      }
      step(prev, batch, now, paths.size(), width, accepted, rejected);
    } finally {
      for (ArrivingFiles.Checked c : accepted) {
        c.rows().unpersist(false);
      }
    }
  }

  private void step(
      State prev,
      long batch,
      long now,
      int files,
      int width,
      List<ArrivingFiles.Checked> accepted,
      List<RejectedRow> rejected) {
    long rows = accepted.stream().mapToLong(ArrivingFiles.Checked::count).sum();
    Dataset<Row> data = null;
    for (ArrivingFiles.Checked c : accepted) {
      data = data == null ? c.rows() : data.union(c.rows());
    }
    long correct = -1;
    Double accuracy = null;
    Double loss = null;
    if (prev.version() > 0 && rows > 0) {
      Row score = score(model(prev.version()), data);
      correct = score.getLong(0);
      accuracy = (double) correct / rows;
      loss = score.getDouble(1) / rows;
    }
    if (rows > 0) {
      Dataset<Row> part = data;
      dir.writeWhole(
          WatchDirectory.windowPart(batch),
          tmp -> part.coalesce(1).write().mode(SaveMode.ErrorIfExists).parquet(tmp));
    }
    WatchRules.Learned learned = WatchRules.learn(prev, spec, batch, rows, correct);
    int version = prev.version();
    Double published = prev.publishedAccuracy();
    List<Part> window = learned.window();
    List<Scored> scored = learned.scored();
    long sinceTune = learned.rowsSinceTune();
    int classes = prev.classes();
    VersionRow versionRow = null;
    if (learned.reason() != WatchRules.Reason.NONE) {
      int next = version + 1;
      long trainRows = learned.trainOn().stream().mapToLong(Part::rows).sum();
      listener.retuneStarted(
          next,
          learned.reason().configName(),
          trainRows,
          learned.recentAccuracy(),
          prev.publishedAccuracy());
      try {
        Retune.Published p =
            Retune.run(spark, spec, dir, next, learned.trainOn(), listener.study());
        versionRow =
            new VersionRow(
                next,
                batch,
                p.rows(),
                learned.reason().configName(),
                p.validation(),
                p.testAccuracy(),
                p.testLoss(),
                learned.reason() == WatchRules.Reason.FIRST ? null : learned.recentAccuracy(),
                p.study(),
                now);
        version = next;
        published = p.testAccuracy();
        window = learned.trainOn();
        scored = List.of();
        sinceTune = 0;
        classes = model(next).numClasses();
      } catch (NoUsableTrialException | DataException e) {
        // Failures are results (every trial diverged, or a window the study cannot split into
        // its shards): the current model stays, and the next batch may try again on newer rows;
        // what the failed attempt wrote goes, so that attempt starts afresh. Rethrown, the same
        // failure would stop the query at every restart.
        listener.retuneFailed(next, e.getMessage());
        dir.delete(WatchDirectory.study(next));
        dir.delete(WatchDirectory.snapshot(next));
      }
    }
    MonitorRow monitor =
        new MonitorRow(
            batch,
            now,
            files,
            rejected.size(),
            rows,
            prev.version(),
            accuracy,
            loss,
            learned.recentAccuracy(),
            window.stream().mapToLong(Part::rows).sum(),
            learned.reason().configName(),
            versionRow == null ? 0 : version);
    State state =
        new State(
            batch,
            prev.rows() + rows,
            width,
            classes,
            version,
            published,
            sinceTune,
            window,
            scored,
            monitor,
            versionRow,
            rejected);
    dir.commit(state);
    materialise(state);
    listener.batchDone(state);
  }

  /** Correct predictions and the summed cross-entropy of the batch's rows. */
  private static Row score(TunedModel model, Dataset<Row> data) {
    model
        .setFeaturesCol(ArrivingFiles.FEATURES)
        .setProbabilityCol(PROBABILITY)
        .setPredictionCol(PREDICTION);
    Dataset<Row> scored = model.transform(data);
    // The probability of the true class, floored: a confident miss costs ln(1e15), not infinity.
    var p =
        element_at(
            org.apache.spark.ml.functions.vector_to_array(col(PROBABILITY), "float64"),
            col(ArrivingFiles.LABEL).plus(1));
    return scored
        .agg(
            sum(when(col(PREDICTION).equalTo(col(ArrivingFiles.LABEL)), 1L).otherwise(0L)),
            sum(log(greatest(p, lit(1e-15))).multiply(-1.0)))
        .first();
  }

  private TunedModel model(int version) {
    if (modelVersion != version) {
      model = TunedModel.load(dir.path(WatchDirectory.model(version)));
      modelVersion = version;
    }
    return model;
  }

  /**
   * Writes what follows from a committed state: its rows of the tables, the {@code CURRENT}
   * pointer, and the removal of window parts and snapshots it no longer needs. Idempotent.
   */
  void materialise(State s) {
    if (s.monitor() == null) {
      return;
    }
    long batch = s.batch();
    part(WatchTables.MONITOR, batch, WatchTables.MONITOR_COLUMNS, List.of(s.monitor()));
    csv(WatchTables.MONITOR, WatchTables.MONITOR_COLUMNS, batch, List.of(s.monitor()));
    if (!s.rejected().isEmpty()) {
      part(WatchTables.REJECTED, batch, WatchTables.REJECTED_COLUMNS, s.rejected());
      csv(WatchTables.REJECTED, WatchTables.REJECTED_COLUMNS, batch, s.rejected());
    }
    if (s.published() != null) {
      int v = s.published().version();
      part(WatchTables.VERSIONS, v, WatchTables.VERSION_COLUMNS, List.of(s.published()));
      csv(WatchTables.VERSIONS, WatchTables.VERSION_COLUMNS, v, List.of(s.published()));
    }
    if (s.version() > 0) {
      dir.pointCurrent(s.version());
    }
    Set<Long> kept = new HashSet<>();
    for (Part p : s.window()) {
      kept.add(p.batch());
    }
    dir.keepWindow(kept);
    for (String name : dir.names(WatchDirectory.SNAPSHOTS)) {
      if (name.compareTo(WatchDirectory.version(s.version())) <= 0) {
        dir.delete(WatchDirectory.SNAPSHOTS + "/" + name);
      }
    }
  }

  /** A table's Parquet part for {@code key}, unless it is already there. */
  private <R> void part(
      String table, long key, List<dev.caviar.report.Column<R>> columns, List<R> rows) {
    String part = WatchDirectory.tablePart(table, key);
    if (!dir.exists(part)) {
      dir.writeFile(part, tmp -> ParquetTables.write(spark, WatchTables.table(columns, rows), tmp));
    }
  }

  private <R> void csv(
      String table, List<dev.caviar.report.Column<R>> columns, long key, List<R> rows) {
    String name = table + ".csv";
    dir.writeText(name, WatchTables.upsertCsv(dir.readText(name), columns, key, rows));
  }
}
