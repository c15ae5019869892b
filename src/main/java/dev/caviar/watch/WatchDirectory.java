package dev.caviar.watch;

import dev.caviar.report.StudyDirectory;
import dev.caviar.report.WatchLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FileUtil;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;

/**
 * The watch directory (any Hadoop file system) and its one write discipline: everything is written
 * under a temporary name starting with {@code _} (which Spark's readers and the file source skip)
 * and renamed into place when whole, so a crash leaves whole entries or temporary ones, never a
 * half-written one under its final name.
 *
 * <pre>
 * checkpoint/          the streaming query's checkpoint (offsets, Spark's commits)
 * commits/N.json       the watch's commit log: the state after batch N (see WatchLog)
 * window/batch-N/      the rows batch N accepted (Parquet), while they are in the window
 * snapshots/vNNNN/     the rows a re-tune learns from (Parquet), until its version is published
 * studies/vNNNN/       the re-tune's study directory (resumed with --resume after a crash)
 * models/vNNNN/        the published models, each copied whole, then renamed
 * models/CURRENT       the name of the current version
 * monitor/, versions/, rejected/   Parquet parts, one per batch; monitor.csv ... their CSV copies
 * </pre>
 */
final class WatchDirectory {
  static final String CHECKPOINT = "checkpoint";
  static final String WINDOW = "window";
  static final String SNAPSHOTS = "snapshots";
  static final String STUDIES = "studies";
  static final String MODELS = "models";
  static final String CURRENT = "CURRENT";
  static final String CONFIG = "watch.conf";

  /** Commits kept: the last one is all a restart reads; a few more help a post-mortem. */
  private static final int COMMITS_KEPT = 20;

  private final StudyDirectory dir;
  private final Configuration conf;

  WatchDirectory(String uri, Configuration conf) {
    this.dir = StudyDirectory.at(uri, conf);
    this.conf = conf;
  }

  Path root() {
    return dir.root();
  }

  String path(String relative) {
    return dir.resolve(relative).toString();
  }

  boolean exists(String relative) {
    return dir.exists(relative);
  }

  void writeText(String relative, String text) {
    dir.writeText(relative, text);
  }

  String readText(String relative) {
    return dir.exists(relative) ? dir.readText(relative) : null;
  }

  static String version(int v) {
    return String.format(Locale.ROOT, "v%04d", v);
  }

  static String windowPart(long batch) {
    return WINDOW + String.format(Locale.ROOT, "/batch-%012d", batch);
  }

  static String snapshot(int version) {
    return SNAPSHOTS + "/" + version(version);
  }

  static String study(int version) {
    return STUDIES + "/" + version(version);
  }

  static String model(int version) {
    return MODELS + "/" + version(version);
  }

  static String tablePart(String table, long key) {
    return table + String.format(Locale.ROOT, "/part-%012d.parquet", key);
  }

  /** The state after the last committed batch, or the initial state. */
  WatchLog.State last() {
    List<String> names = names(WatchLog.DIR);
    if (names.isEmpty()) {
      return WatchLog.State.initial();
    }
    String last = WatchLog.DIR + "/" + names.get(names.size() - 1);
    return WatchLog.read(dir.readText(last), path(last));
  }

  /** Commits a batch: after this, a replay of the batch is skipped. */
  void commit(WatchLog.State state) {
    dir.writeText(WatchLog.DIR + "/" + WatchLog.name(state.batch()), WatchLog.write(state));
    List<String> names = names(WatchLog.DIR);
    for (int i = 0; i < names.size() - COMMITS_KEPT; i++) {
      dir.delete(WatchLog.DIR + "/" + names.get(i));
    }
  }

  /**
   * Writes an entry whole: {@code write} fills a temporary path, which is then renamed to {@code
   * relative}, replacing what an interrupted attempt may have left there.
   */
  void writeWhole(String relative, Consumer<String> write) {
    Path target = dir.resolve(relative);
    Path tmp = new Path(target.getParent(), "_tmp-" + target.getName());
    FileSystem fs = dir.fileSystem();
    try {
      fs.delete(tmp, true);
      write.accept(tmp.toString());
      fs.delete(target, true);
      if (!fs.rename(tmp, target)) {
        throw new IOException("rename returned false");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + target, e);
    }
  }

  /**
   * Writes one Parquet file at {@code relative}: {@code write} fills a temporary directory as Spark
   * writes (one partition), whose one data file is then renamed into place. A table of such files
   * reads with {@code spark.read().parquet(dir)} and with pandas alike.
   */
  void writeFile(String relative, Consumer<String> write) {
    Path target = dir.resolve(relative);
    Path tmp = new Path(target.getParent(), "_tmp-" + target.getName());
    FileSystem fs = dir.fileSystem();
    try {
      fs.delete(tmp, true);
      write.accept(tmp.toString());
      Path data = null;
      for (FileStatus st : fs.listStatus(tmp)) {
        if (st.getPath().getName().endsWith(".parquet")) {
          data = st.getPath();
        }
      }
      if (data == null) {
        throw new IOException("no Parquet file written in " + tmp);
      }
      fs.delete(target, false);
      if (!fs.rename(data, target)) {
        throw new IOException("rename returned false");
      }
      fs.delete(tmp, true);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + target, e);
    }
  }

  /** Copies a directory whole (a model) to {@code relative}, unless it is already there. */
  void copyWhole(String from, String relative) {
    if (dir.exists(relative)) {
      return;
    }
    writeWhole(
        relative,
        tmp -> {
          try {
            Path src = new Path(from);
            FileUtil.copy(
                src.getFileSystem(conf), src, dir.fileSystem(), new Path(tmp), false, conf);
          } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + from, e);
          }
        });
  }

  /**
   * Points {@code models/CURRENT} at a version. The pointer is replaced by a rename with overwrite,
   * atomic on HDFS. Hadoop's local file system emulates that rename (delete, then rename), which
   * would leave a moment with no pointer for a reader ({@code caviar score}) to find: on a local
   * disk the pointer is replaced by the operating system's atomic rename instead. Elsewhere, where
   * the file system emulates it, a crash in between leaves no pointer, which the next start writes
   * again from the commit log.
   */
  void pointCurrent(int version) {
    Path target = dir.resolve(MODELS + "/" + CURRENT);
    Path tmp = dir.resolve(MODELS + "/_tmp-" + CURRENT);
    try {
      String want = version(version);
      String now = readText(MODELS + "/" + CURRENT);
      if (now != null && now.strip().equals(want)) {
        return;
      }
      FileSystem fs = dir.fileSystem();
      if (fs instanceof LocalFileSystem || fs instanceof RawLocalFileSystem) {
        java.nio.file.Path local = java.nio.file.Paths.get(fs.makeQualified(target).toUri());
        java.nio.file.Path staged = local.resolveSibling("_tmp-" + CURRENT);
        java.nio.file.Files.writeString(staged, want + "\n");
        // No checksum file: an earlier pointer's .crc would not match the new one.
        java.nio.file.Files.deleteIfExists(local.resolveSibling("." + CURRENT + ".crc"));
        java.nio.file.Files.move(
            staged,
            local,
            java.nio.file.StandardCopyOption.ATOMIC_MOVE,
            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return;
      }
      try (var out = fs.create(tmp, true)) {
        out.write((want + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
      }
      FileContext.getFileContext(target.toUri(), conf)
          .rename(tmp, target, Options.Rename.OVERWRITE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot point " + target + " at " + version, e);
    }
  }

  /** Deletes the window parts no longer in the window. */
  void keepWindow(Set<Long> batches) {
    for (String name : names(WINDOW)) {
      if (name.startsWith("batch-")
          && !batches.contains(Long.parseLong(name.substring("batch-".length())))) {
        dir.delete(WINDOW + "/" + name);
      }
    }
  }

  void delete(String relative) {
    dir.delete(relative);
  }

  /** The entries of a directory whose names do not start with {@code _} or {@code .}, sorted. */
  List<String> names(String relative) {
    List<String> out = new ArrayList<>();
    try {
      Path p = dir.resolve(relative);
      if (!dir.fileSystem().exists(p)) {
        return out;
      }
      for (FileStatus s : dir.fileSystem().listStatus(p)) {
        String name = s.getPath().getName();
        if (!name.startsWith("_") && !name.startsWith(".")) {
          out.add(name);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir.resolve(relative), e);
    }
    out.sort(null);
    return out;
  }
}
