package dev.caviar.spark;

import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import dev.caviar.config.OutputSpec;
import dev.caviar.config.StudyConfig;
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

  /** What {@link #check} found. */
  enum Prepared {
    /** A fresh study in an empty directory. */
    FRESH,
    /** A study to continue from its last complete round. */
    RESUMED,
    /** {@code --resume} of a study that already finished: nothing to do, nothing written. */
    FINISHED
  }

  /**
   * Refuses a directory the study may not use, and writes nothing: the data is read and checked
   * after this and before {@link #start}, so a study that fails on its input leaves the directory
   * as it found it and the same command runs once the input is fixed.
   *
   * <p>{@code --resume} compares the configuration without its output path, so the same study named
   * by another path (absolute, from another working directory, after a copy) resumes.
   */
  static Prepared check(StudyDirectory dir, SparkStudy.Setup setup, boolean resume) {
    if (isFile(dir)) {
      throw new IllegalArgumentException(
          OutputSpec.DIR_KEY
              + ": "
              + dir.root()
              + " is a file, not a directory; choose a directory");
    }
    if (resume) {
      if (!dir.exists(StudyFiles.CONFIG)) {
        throw new IllegalArgumentException(
            "--resume: " + dir.root() + " holds no study (" + StudyFiles.CONFIG + ") to resume");
      }
      String storedStudy = withoutOutputPath(asThisVersionRenders(dir.readText(StudyFiles.CONFIG)));
      String nowStudy = withoutOutputPath(setup.resolvedConfig());
      if (!storedStudy.equals(nowStudy)) {
        throw new IllegalArgumentException(
            "--resume: the configuration differs from the one stored in "
                + dir.resolve(StudyFiles.CONFIG)
                + " at: "
                + firstDifference(storedStudy, nowStudy)
                + "; resume with the same configuration, or start a new study in another "
                + OutputSpec.DIR_KEY);
      }
      return dir.exists(BestFile.NAME) ? Prepared.FINISHED : Prepared.RESUMED;
    }
    if (dir.isNonEmpty()) {
      throw new IllegalArgumentException(
          OutputSpec.DIR_KEY
              + ": "
              + dir.root()
              + " already holds files; pass --resume to continue that study, or choose"
              + " another directory");
    }
    return Prepared.FRESH;
  }

  /** The study's first files, once its configuration and its data have been checked. */
  static void start(StudyDirectory dir, SparkStudy.Setup setup, Prepared prepared) {
    if (prepared == Prepared.FINISHED) {
      throw new IllegalStateException("a finished study writes nothing");
    }
    if (prepared == Prepared.FRESH
        || !dir.readText(StudyFiles.CONFIG).equals(setup.resolvedConfig())) {
      // Fresh, or resumed with only the output path changed: the directory records where it is.
      dir.writeText(StudyFiles.CONFIG, setup.resolvedConfig());
    }
    dir.writeText(StudyFiles.VERSIONS, StudyFiles.versionsJson(versions()));
  }

  private static boolean isFile(StudyDirectory dir) {
    try {
      return dir.fileSystem().getFileStatus(dir.root()).isFile();
    } catch (java.io.FileNotFoundException e) {
      return false;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(OutputSpec.DIR_KEY + ": cannot read " + dir.root(), e);
    }
  }

  /**
   * A stored configuration as this version resolves it: a key added since the study was written
   * takes its default, which is what the study ran with, so it is not a change. A stored file this
   * version cannot read is compared as it is.
   */
  static String asThisVersionRenders(String stored) {
    try {
      return StudyConfig.parse(stored, StudyFiles.CONFIG, List.of()).render();
    } catch (RuntimeException e) {
      return stored;
    }
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
