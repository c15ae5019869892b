package dev.caviar.config;

import java.io.Serializable;

/**
 * The {@code output} section.
 *
 * @param dir the study's output directory (any Hadoop file system: local, hdfs://, s3a://)
 */
public record OutputSpec(String dir) implements Serializable {
  /** The key of {@link #dir}, for code that must leave it out (a resume from another path). */
  public static final String DIR_KEY = "output.dir";

  public OutputSpec {
    if (dir == null || dir.isBlank()) {
      throw new IllegalArgumentException(DIR_KEY + ": must name a directory, got '" + dir + "'");
    }
  }
}
