package dev.caviar.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StudyDirectoryTest {

  @TempDir Path tmp;

  private StudyDirectory dir() {
    return StudyDirectory.at(tmp.resolve("study").toUri().toString(), new Configuration());
  }

  @Test
  void aRoundIsVisibleOnlyAfterCommit() {
    StudyDirectory d = dir();
    StudyDirectory.RoundWriter w = d.beginRound(0);
    w.writeText("trials.csv", "a,b\n1,2\n");
    assertEquals(List.of(), d.completeRounds());
    w.commit();
    assertEquals(List.of(0), d.completeRounds());
    assertEquals("a,b\n1,2\n", d.readText("rounds/round-000/trials.csv"));
  }

  @Test
  void aCrashedRoundIsDiscardedAndRewritten() throws Exception {
    StudyDirectory d = dir();
    d.beginRound(0).commit();
    StudyDirectory.RoundWriter crashed = d.beginRound(1);
    crashed.writeText("trials.csv", "half");
    // A final-named directory without the marker (a rename cut short on an object store).
    Files.createDirectories(tmp.resolve("study/rounds/round-002"));
    assertEquals(List.of(0), d.completeRounds());

    StudyDirectory.RoundWriter again = d.beginRound(1);
    assertFalse(Files.exists(tmp.resolve("study/rounds/_tmp-round-001/trials.csv")));
    again.writeText("trials.csv", "whole");
    again.commit();
    assertEquals(List.of(0, 1), d.completeRounds());
    assertEquals("whole", d.readText("rounds/round-001/trials.csv"));
  }

  @Test
  void roundsAfterAGapAreNotTrusted() {
    StudyDirectory d = dir();
    d.beginRound(0).commit();
    d.beginRound(2).commit();
    assertEquals(List.of(0), d.completeRounds());
    d.deleteRoundsAfter(0);
    assertFalse(d.exists("rounds/round-002"));
  }

  @Test
  void textFilesAreReplacedWhole() {
    StudyDirectory d = dir();
    d.writeText("best.json", "{\"v\":1}");
    d.writeText("best.json", "{\"v\":2}");
    assertEquals("{\"v\":2}", d.readText("best.json"));
    assertTrue(d.isNonEmpty());
  }
}
