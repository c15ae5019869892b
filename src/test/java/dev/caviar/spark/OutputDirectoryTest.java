package dev.caviar.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.caviar.config.StudyConfig;
import dev.caviar.config.StudySpec;
import dev.caviar.report.BestFile;
import dev.caviar.report.StudyDirectory;
import dev.caviar.report.StudyFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The output directory policy without Spark: what a fresh study and {@code --resume} accept. */
class OutputDirectoryTest {
  @TempDir Path tmp;

  private static SparkStudy.Setup setup(String outputDir, String... overrides) {
    List<String> all = new ArrayList<>(List.of(overrides));
    all.add("output.dir=\"" + outputDir + "\"");
    StudySpec s = StudyConfig.load("conf/quickstart.conf", all);
    return new SparkStudy.Setup(
        s.study(), s.space(), s.model(), s.data(), s.execution(), s.output().dir(), s.render());
  }

  /** What a study does around loading its data: check, then (unless finished) start. */
  private static OutputDirectory.Prepared prepare(
      StudyDirectory dir, SparkStudy.Setup setup, boolean resume) {
    OutputDirectory.Prepared p = OutputDirectory.check(dir, setup, resume);
    if (p != OutputDirectory.Prepared.FINISHED) {
      OutputDirectory.start(dir, setup, p);
    }
    return p;
  }

  @Test
  void checkingADirectoryWritesNothingThere() {
    Path where = tmp.resolve("checked");
    StudyDirectory dir = StudyDirectory.at(where.toString(), new Configuration());
    assertEquals(
        OutputDirectory.Prepared.FRESH, OutputDirectory.check(dir, setup(where.toString()), false));
    assertFalse(Files.exists(where), "a failed data load after the check leaves nothing behind");
  }

  private StudyDirectory freshStudy(Path where) {
    StudyDirectory dir = StudyDirectory.at(where.toString(), new Configuration());
    prepare(dir, setup(where.toString()), false);
    return dir;
  }

  @Test
  void theSameStudyNamedByAnotherPathResumes() throws Exception {
    Path original = tmp.resolve("original");
    freshStudy(original);
    // The directory copied elsewhere (or named relatively, or from another working directory).
    Path copy = tmp.resolve("copy");
    Files.createDirectories(copy);
    Files.copy(original.resolve(StudyFiles.CONFIG), copy.resolve(StudyFiles.CONFIG));
    StudyDirectory dir = StudyDirectory.at(copy.toString(), new Configuration());
    SparkStudy.Setup moved = setup(copy.toUri().toString());

    assertEquals(OutputDirectory.Prepared.RESUMED, prepare(dir, moved, true));
    assertEquals(moved.resolvedConfig(), dir.readText(StudyFiles.CONFIG), "records its new path");
  }

  @Test
  void aStudyWrittenBeforeAKeyExistedResumesWithThatKeysDefault() throws Exception {
    Path where = tmp.resolve("older");
    StudyDirectory dir = freshStudy(where);
    // An earlier version wrote no study.stopping section: its default is what the study ran with.
    String stored = dir.readText(StudyFiles.CONFIG);
    String older = stored.replaceAll("(?s)\\n\\s*stopping \\{.*?\\n\\s*}", "");
    assertFalse(older.contains("stopping"), older);
    dir.writeText(StudyFiles.CONFIG, older);
    assertEquals(OutputDirectory.Prepared.RESUMED, prepare(dir, setup(where.toString()), true));
    // ... but not with another value than the default.
    dir.writeText(StudyFiles.CONFIG, older);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> prepare(dir, setup(where.toString(), "study.stopping.rule=halving"), true));
    assertTrue(e.getMessage().contains("halving"), e.getMessage());
  }

  /** A resolved configuration read back resolves to itself, or every resume would be refused. */
  @Test
  void everyShippedConfigurationResolvesToItself() throws Exception {
    try (var files = Files.list(Path.of("conf"))) {
      for (Path conf : files.filter(f -> f.toString().endsWith(".conf")).sorted().toList()) {
        String resolved = StudyConfig.load(conf, List.of()).render();
        assertEquals(
            resolved,
            StudyConfig.parse(resolved, StudyFiles.CONFIG, List.of()).render(),
            conf.toString());
      }
    }
  }

  @Test
  void aChangedConfigurationIsStillRefusedWithTheKeyShown() {
    Path where = tmp.resolve("study");
    StudyDirectory dir = freshStudy(where);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> prepare(dir, setup(where.toString(), "study.seed=7"), true));
    assertTrue(e.getMessage().contains("\"seed\" : 7"), e.getMessage());
    assertTrue(e.getMessage().contains("\"seed\" : 42"), e.getMessage());
  }

  @Test
  void resumingAFinishedStudyWritesNothing() throws Exception {
    Path where = tmp.resolve("done");
    StudyDirectory dir = freshStudy(where);
    Files.delete(where.resolve(StudyFiles.VERSIONS));
    dir.writeText(BestFile.NAME, "{}\n");
    String config = dir.readText(StudyFiles.CONFIG);

    assertEquals(
        OutputDirectory.Prepared.FINISHED,
        prepare(dir, setup(tmp.resolve("elsewhere").toString()), true));
    assertEquals("{}\n", dir.readText(BestFile.NAME), "best.json kept");
    assertEquals(config, dir.readText(StudyFiles.CONFIG), "config.conf kept");
    assertFalse(Files.exists(where.resolve(StudyFiles.VERSIONS)), "versions.json not rewritten");
  }

  @Test
  void aFreshStudyRefusesADirectoryThatHoldsFiles() {
    Path where = tmp.resolve("taken");
    StudyDirectory dir = freshStudy(where);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> prepare(dir, setup(where.toString()), false));
    assertTrue(e.getMessage().contains("--resume"), e.getMessage());
  }
}
