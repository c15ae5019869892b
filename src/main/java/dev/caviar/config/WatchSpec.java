package dev.caviar.config;

import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValueFactory;
import dev.caviar.study.RoundSpec;
import dev.caviar.study.StudySettings;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A watch config ({@code caviar watch}), validated: the study every re-tune runs (its {@code data}
 * section describes the files arriving in {@code data.path}, its {@code output.dir} is the watch
 * directory) and the {@code watch} section's rules.
 *
 * @param study the study config; {@code study.rounds} is the first model's schedule
 * @param windowRows the most recent rows a re-tune learns from
 * @param evaluateRows the rows the drop rule averages the prequential accuracy over
 * @param drop how far below its published accuracy the current model may fall before a re-tune
 * @param everyRows a re-tune after this many rows whatever the accuracy; 0 for never
 * @param minRows rows the window must hold before the first model is tuned
 * @param rounds the schedule of a warm re-tune
 * @param filesPerBatch most files a micro-batch takes
 * @param triggerSeconds seconds between micro-batches
 */
public record WatchSpec(
    StudySpec study,
    int windowRows,
    int evaluateRows,
    double drop,
    int everyRows,
    int minRows,
    List<RoundSpec> rounds,
    int filesPerBatch,
    int triggerSeconds)
    implements Serializable {
  static final int DEFAULT_WINDOW_ROWS = 2000;
  static final int DEFAULT_EVALUATE_ROWS = 400;
  static final double DEFAULT_DROP = 0.05;
  static final int DEFAULT_EVERY_ROWS = 0;
  static final int DEFAULT_MIN_ROWS = 500;
  static final int DEFAULT_FILES_PER_BATCH = 1;
  static final int DEFAULT_TRIGGER_SECONDS = 5;

  public WatchSpec {
    if (study == null) {
      throw new IllegalArgumentException("watch: the study config is required");
    }
    DataSpec.Source source = study.data().source();
    if (source == DataSpec.Source.SYNTHETIC || source == DataSpec.Source.IDX) {
      throw new IllegalArgumentException(
          "data.source: caviar watch reads the files arriving in data.path: use csv, libsvm or"
              + " parquet, got "
              + source.configName());
    }
    if (!(windowRows >= 10)) {
      throw new IllegalArgumentException("watch.windowRows: must be >= 10, got " + windowRows);
    }
    if (!(evaluateRows >= 1 && evaluateRows <= windowRows)) {
      throw new IllegalArgumentException(
          "watch.evaluateRows: must be in [1, watch.windowRows = "
              + windowRows
              + "], got "
              + evaluateRows);
    }
    if (!(drop > 0 && drop < 1)) {
      throw new IllegalArgumentException("watch.drop: must be in (0, 1), got " + drop);
    }
    if (!(everyRows >= 0)) {
      throw new IllegalArgumentException(
          "watch.everyRows: must be >= 0 (0: never), got " + everyRows);
    }
    if (!(minRows >= 10 && minRows <= windowRows)) {
      throw new IllegalArgumentException(
          "watch.minRows: must be in [10, watch.windowRows = " + windowRows + "], got " + minRows);
    }
    if (!(filesPerBatch >= 1)) {
      throw new IllegalArgumentException("watch.filesPerBatch: must be >= 1, got " + filesPerBatch);
    }
    if (!(triggerSeconds >= 0)) {
      throw new IllegalArgumentException(
          "watch.triggerSeconds: must be >= 0, got " + triggerSeconds);
    }
    rounds = List.copyOf(rounds);
    try {
      retuneSettings(study.study(), rounds, study.study().seed());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          e.getMessage().replaceFirst("^study\\.rounds", "watch.rounds"), e);
    }
  }

  /** The study settings of a re-tune: the config's, with another schedule and seed. */
  public static StudySettings retuneSettings(StudySettings s, List<RoundSpec> rounds, long seed) {
    return new StudySettings(
        s.name(),
        seed,
        rounds,
        s.elite(),
        s.margin(),
        s.carry(),
        s.metric(),
        s.divergenceFactor(),
        s.sampler(),
        s.minWidth(),
        s.choiceFloor(),
        s.stopping(),
        s.carried());
  }

  /** The resolved watch config: the study's, then the {@code watch} section. */
  public String render() {
    Map<String, Object> w = new LinkedHashMap<>();
    w.put("windowRows", windowRows);
    w.put("evaluateRows", evaluateRows);
    w.put("drop", drop);
    w.put("everyRows", everyRows);
    w.put("minRows", minRows);
    List<Object> rs = new ArrayList<>();
    for (RoundSpec r : rounds) {
      rs.add(Map.of("trials", r.trials(), "epochs", r.epochs()));
    }
    w.put("rounds", rs);
    w.put("filesPerBatch", filesPerBatch);
    w.put("triggerSeconds", triggerSeconds);
    return study.render()
        + ConfigValueFactory.fromMap(Map.of("watch", w))
            .render(
                ConfigRenderOptions.defaults()
                    .setOriginComments(false)
                    .setComments(false)
                    .setJson(false)
                    .setFormatted(true));
  }
}
