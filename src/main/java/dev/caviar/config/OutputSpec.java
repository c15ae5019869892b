package dev.caviar.config;

import java.io.Serializable;

/**
 * The {@code output} section.
 *
 * @param dir the study's output directory (any Hadoop file system: local, hdfs://, s3a://)
 */
public record OutputSpec(String dir) implements Serializable {
  public OutputSpec {
    if (dir == null || dir.isBlank()) {
      throw new IllegalArgumentException("output.dir: must name a directory, got '" + dir + "'");
    }
  }
}
