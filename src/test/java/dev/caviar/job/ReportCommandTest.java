package dev.caviar.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code caviar report} on bad input: one clear message and exit code 2, without Spark. */
class ReportCommandTest {
  @TempDir Path tmp;

  @Test
  void anEmptyDirectoryFailsWithExitCodeTwo() {
    CaviarCliTest.Run r = CaviarCliTest.caviar("report", tmp.toString());
    assertEquals(Caviar.BAD_INPUT, r.exit(), r.err());
    assertTrue(r.err().contains("not a Caviar study directory"), r.err());
    assertTrue(r.err().contains(tmp.getFileName().toString()), r.err());
  }

  @Test
  void aMissingDirectoryFailsWithExitCodeTwo() {
    CaviarCliTest.Run r = CaviarCliTest.caviar("report", tmp.resolve("absent").toString());
    assertEquals(Caviar.BAD_INPUT, r.exit(), r.err());
    assertTrue(r.err().contains("absent"), r.err());
  }
}
