package dev.caviar.watch;

import dev.caviar.config.DataSpec;
import dev.caviar.config.OutputSpec;
import dev.caviar.config.StudySpec;
import dev.caviar.config.WatchSpec;
import dev.caviar.data.ArrivingFiles;
import dev.caviar.report.StudyDirectory;
import dev.caviar.report.StudyFiles;
import dev.caviar.report.WatchLog.Part;
import dev.caviar.space.Region;
import dev.caviar.spark.SparkStudy;
import dev.caviar.study.RoundSpec;
import dev.caviar.study.Seeds;
import dev.caviar.study.StudySettings;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * One re-tune: the window's rows frozen as a snapshot, a study on them (warm-started from the
 * current model's final region, or for the first model from {@code study.warmStart}), and its model
 * copied whole to the next version. Every step is keyed by the version and checks what is already
 * on disk, so a replay after a crash continues where the killed attempt stopped: the snapshot is
 * reused, the study resumed from its last whole round, a copied model kept.
 */
final class Retune {
  private Retune() {}

  /** A published version, before its row is committed. */
  record Published(
      int version,
      long rows,
      double validation,
      double testAccuracy,
      double testLoss,
      String study) {}

  static Published run(
      SparkSession spark,
      WatchSpec spec,
      WatchDirectory dir,
      int version,
      List<Part> trainOn,
      SparkStudy.Listener listener) {
    long rows = snapshot(spark, spec, dir, version, trainOn);
    StudySpec base = spec.study();
    DataSpec data =
        new DataSpec(
            DataSpec.Source.PARQUET,
            dir.path(WatchDirectory.snapshot(version)),
            null,
            null,
            null,
            ArrivingFiles.LABEL,
            ArrivingFiles.FEATURES,
            true,
            base.data().testFraction(),
            base.data().validationFraction(),
            null,
            0);
    List<RoundSpec> rounds = version == 1 ? base.study().rounds() : spec.rounds();
    // Each version its own stream: the same window tuned again as version 3 would draw anew.
    long seed = Seeds.combine(Seeds.named(base.study().seed(), "watch"), version);
    StudySettings settings = WatchSpec.retuneSettings(base.study(), rounds, seed);
    String warm = version == 1 ? base.warmStart() : dir.path(WatchDirectory.study(version - 1));
    String out = dir.path(WatchDirectory.study(version));
    StudySpec study =
        new StudySpec(
            settings,
            data,
            base.model(),
            base.space(),
            base.execution(),
            new OutputSpec(out),
            warm);
    Region start = null;
    if (warm != null) {
      start =
          SparkStudy.finalRegion(
              StudyDirectory.at(warm, spark.sparkContext().hadoopConfiguration()));
      start.checkAgainst(study.space());
    }
    String studyRel = WatchDirectory.study(version);
    boolean resume = dir.exists(studyRel + "/" + StudyFiles.CONFIG);
    if (!resume && dir.exists(studyRel)) {
      dir.delete(studyRel); // a start killed before its config was written holds nothing to keep
    }
    SparkStudy.Outcome outcome =
        SparkStudy.run(
            spark,
            new SparkStudy.Setup(
                settings,
                study.space(),
                study.model(),
                data,
                study.execution(),
                out,
                study.render(),
                start),
            resume,
            listener);
    dir.copyWhole(outcome.modelPath(), WatchDirectory.model(version));
    return new Published(
        version,
        rows,
        outcome.best().winner().mean(),
        outcome.testAccuracy(),
        outcome.testLoss(),
        out);
  }

  /**
   * The most recent {@code watch.windowRows} rows of {@code parts}, written once as the version's
   * snapshot: the study reads a fixed file even if the window moves on. Returns its row count.
   */
  private static long snapshot(
      SparkSession spark, WatchSpec spec, WatchDirectory dir, int version, List<Part> parts) {
    long total = parts.stream().mapToLong(Part::rows).sum();
    long rows = Math.min(total, spec.windowRows());
    String rel = WatchDirectory.snapshot(version);
    if (dir.exists(rel)) {
      return rows;
    }
    List<Dataset<Row>> frames = new ArrayList<>();
    long excess = total - rows;
    for (Part p : parts) {
      Dataset<Row> df = spark.read().parquet(dir.path(WatchDirectory.windowPart(p.batch())));
      if (excess > 0 && frames.isEmpty()) {
        // The oldest part holds rows older than the window: keep its newest ones.
        df = df.orderBy(ArrivingFiles.FILE, ArrivingFiles.ROW).offset((int) excess);
      }
      frames.add(df);
    }
    Dataset<Row> all = frames.get(0);
    for (int i = 1; i < frames.size(); i++) {
      all = all.union(frames.get(i));
    }
    Dataset<Row> window =
        all.select(functions.col(ArrivingFiles.LABEL), functions.col(ArrivingFiles.FEATURES));
    dir.writeWhole(
        rel, tmp -> window.coalesce(1).write().mode(SaveMode.ErrorIfExists).parquet(tmp));
    return rows;
  }
}
