package dev.caviar.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code CURRENT} pointer on a local disk: replaced in one rename, readable after each. */
class WatchDirectoryTest {
  @TempDir Path tmp;

  @Test
  void thePointerIsReplacedWholeAndReadsBackWithoutAChecksumMismatch() throws Exception {
    WatchDirectory dir = new WatchDirectory(tmp.toUri().toString(), new Configuration());
    Path current = tmp.resolve("models/CURRENT");
    Files.createDirectories(current.getParent());
    // A pointer of an earlier version of Caviar, written through Hadoop with its checksum file.
    org.apache.hadoop.fs.FileSystem local =
        org.apache.hadoop.fs.FileSystem.getLocal(new Configuration());
    try (var out = local.create(new org.apache.hadoop.fs.Path(current.toUri()), true)) {
      out.write("v0001\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    dir.pointCurrent(2);
    assertEquals("v0002", dir.readText("models/CURRENT").strip());
    dir.pointCurrent(3);
    assertEquals("v0003", dir.readText("models/CURRENT").strip());
    assertEquals("v0003", Files.readString(current).strip());
    assertFalse(Files.exists(tmp.resolve("models/_tmp-CURRENT")), "nothing staged is left");
    assertFalse(Files.exists(tmp.resolve("models/.CURRENT.crc")), "no stale checksum");
  }
}
