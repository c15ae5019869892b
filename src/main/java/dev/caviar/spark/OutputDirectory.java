package dev.caviar.spark;

import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import dev.caviar.config.OutputSpec;
import dev.caviar.report.BestFile;
import dev.caviar.report.ReplicateTable;
import dev.caviar.report.RoundFiles;
import dev.caviar.report.StudyDirectory;
import dev.caviar.report.StudyFiles;
import dev.caviar.study.ReplicateScore;
import dev.caviar.study.Study;
import dev.caviar.study.Trial;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The output directory policy: what a fresh study may write into, what {@code --resume} accepts,
 * and how the rounds already on disk are told to the study again.
 */
final class OutputDirectory {
  private static final Logger LOG = LoggerFactory.getLogger(OutputDirectory.class);

  private OutputDirectory() {}

  /** What {@link #prepare} found. */
  enum Prepared {
    /** A fresh study in an empty directory. */
    FRESH,
    /** A study to continue from its last complete round. */
    RESUMED,
    /** {@code --resume} of a study that already finished: nothing to do, nothing written. */
    FINISHED
  }

  /**
   * Everything written before the first round (kept in one method: it decides the timing).
   *
   * <p>{@code --resume} compares the configuration without its output path, so the same study named
   * by another path (absolute, from another working directory, after a copy) resumes.
   */
  static Prepared prepare(StudyDirectory dir, SparkStudy.Setup setup, boolean resume) {
    if (resume) {
      if (!dir.exists(StudyFiles.CONFIG)) {
        throw new IllegalArgumentException(
            "--resume: " + dir.root() + " holds no study (" + StudyFiles.CONFIG + ") to resume");
      }
      String stored = dir.readText(StudyFiles.CONFIG);
      String storedStudy = withoutOutputPath(stored);
      String nowStudy = withoutOutputPath(setup.resolvedConfig());
      if (!storedStudy.equals(nowStudy)) {
        throw new IllegalArgumentException(
            "--resume: the configuration differs from the one stored in "
                + dir.resolve(StudyFiles.CONFIG)
                + " at: "
                + firstDifference(storedStudy, nowStudy)
                + "; resume with the same configuration, or start a new study in another"
                + " output.dir");
      }
      if (dir.exists(BestFile.NAME)) {
        return Prepared.FINISHED;
      }
      if (!stored.equals(setup.resolvedConfig())) {
        // Only the output path differs: the directory now records where it is.
        dir.writeText(StudyFiles.CONFIG, setup.resolvedConfig());
      }
    } else {
      if (dir.isNonEmpty()) {
        throw new IllegalArgumentException(
            "output.dir: "
                + dir.root()
                + " already holds files; pass --resume to continue that study, or choose"
                + " another directory");
      }
      dir.writeText(StudyFiles.CONFIG, setup.resolvedConfig());
    }
    dir.writeText(StudyFiles.VERSIONS, StudyFiles.versionsJson(versions()));
    return resume ? Prepared.RESUMED : Prepared.FRESH;
  }

  /** A resolved configuration without its output path, in a canonical form. */
  static String withoutOutputPath(String resolved) {
    // JSON, one key a line, keys sorted: two spellings of one configuration render alike.
    return ConfigFactory.parseString(resolved)
        .withoutPath(OutputSpec.DIR_KEY)
        .root()
        .render(ConfigRenderOptions.concise().setFormatted(true));
  }

  static String firstDifference(String a, String b) {
    String[] x = a.split("\n");
    String[] y = b.split("\n");
    for (int i = 0; i < Math.max(x.length, y.length); i++) {
      String l = i < x.length ? x[i].trim() : "(nothing)";
      String r = i < y.length ? y[i].trim() : "(nothing)";
      if (!l.equals(r)) {
        return "stored '" + l + "', now '" + r + "'";
      }
    }
    return "(whitespace)";
  }

  /** Tells the study every complete round on disk; returns how many. */
  static int replay(StudyDirectory dir, Study study) {
    List<Integer> rounds = dir.completeRounds();
    for (int r : rounds) {
      if (study.isFinished()) {
        break;
      }
      List<Trial> asked = study.ask();
      String file = RoundFiles.path(dir, r, RoundFiles.REPLICATES_JSON);
      List<ReplicateScore> stored =
          ReplicateTable.read(dir.readText(file), dir.resolve(file).toString());
      Map<Integer, Trial> byNumber = new LinkedHashMap<>();
      for (Trial t : asked) {
        byNumber.put(t.number(), t);
      }
      for (ReplicateScore s : stored) {
        Trial t = byNumber.get(s.trial());
        if (t == null || t.seedFor(s.shard()) != s.seed()) {
          throw new IllegalArgumentException(
              "--resume: "
                  + dir.resolve(file)
                  + ": trial "
                  + s.trial()
                  + " shard "
                  + s.shard()
                  + " was trained with seed "
                  + s.seed()
                  + " but this configuration gives "
                  + (t == null ? "no such trial" : "seed " + t.seedFor(s.shard()))
                  + " (did the data, the shards or the seed change?)");
        }
      }
      study.tellScores(stored);
      LOG.info("resume: round {} read back ({} scores)", r, stored.size());
    }
    return Math.min(rounds.size(), study.round());
  }

  /** What ran the study, for {@code versions.json}. */
  static Map<String, String> versions() {
    Map<String, String> v = new LinkedHashMap<>();
    v.put("caviar", caviarVersion());
    v.put("spark", org.apache.spark.package$.MODULE$.SPARK_VERSION());
    v.put("scala", scala.util.Properties.versionNumberString());
    v.put("java", System.getProperty("java.version"));
    v.put("javaVendor", System.getProperty("java.vendor"));
    v.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
    return v;
  }

  /** The version Maven built, from a filtered resource. */
  static String caviarVersion() {
    Properties p = new Properties();
    try (InputStream in = SparkStudy.class.getResourceAsStream("/caviar-version.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      LOG.debug("no version resource", e);
    }
    return p.getProperty("version", "unknown");
  }
}
