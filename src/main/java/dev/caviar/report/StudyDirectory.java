package dev.caviar.report;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A study's output directory on any Hadoop file system (local, {@code hdfs://}, {@code s3a://}).
 *
 * <p>Each round is written under {@code rounds/_tmp-round-NNN}, closed with a marker file and then
 * renamed to {@code rounds/round-NNN}. A round counts as complete only when the final name exists
 * <em>and</em> holds the marker, so a crash at any point (including inside a non-atomic rename, as
 * on object stores) leaves either a whole round or none that {@code --resume} would trust.
 */
public final class StudyDirectory {

  public static final String MARKER = "_ROUND_COMPLETE";
  private static final Pattern ROUND = Pattern.compile("round-(\\d{3,})");

  private final FileSystem fs;
  private final Path root;

  private StudyDirectory(FileSystem fs, Path root) {
    this.fs = fs;
    this.root = root;
  }

  /** Opens (without creating) the directory at {@code uri}. */
  public static StudyDirectory at(String uri, Configuration conf) {
    try {
      Path root = new Path(uri);
      FileSystem fs = root.getFileSystem(conf);
      return new StudyDirectory(fs, fs.makeQualified(root));
    } catch (IOException e) {
      throw new UncheckedIOException("output.dir: cannot open file system of '" + uri + "'", e);
    }
  }

  public Path root() {
    return root;
  }

  public FileSystem fileSystem() {
    return fs;
  }

  public Path resolve(String relative) {
    return new Path(root, relative);
  }

  public boolean exists(String relative) {
    try {
      return fs.exists(resolve(relative));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resolve(relative), e);
    }
  }

  /**
   * True when the directory holds anything at all (a study that a fresh run must not overwrite).
   */
  public boolean isNonEmpty() {
    try {
      return fs.exists(root) && fs.listStatus(root).length > 0;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + root, e);
    }
  }

  public static String roundName(int round) {
    return String.format(Locale.ROOT, "round-%03d", round);
  }

  /** The complete rounds, in order; stops at the first gap so that resume never skips a round. */
  public List<Integer> completeRounds() {
    Path rounds = resolve("rounds");
    List<Integer> found = new ArrayList<>();
    try {
      if (!fs.exists(rounds)) {
        return found;
      }
      for (FileStatus st : fs.listStatus(rounds)) {
        Matcher m = ROUND.matcher(st.getPath().getName());
        if (st.isDirectory() && m.matches() && fs.exists(new Path(st.getPath(), MARKER))) {
          found.add(Integer.parseInt(m.group(1)));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + rounds, e);
    }
    found.sort(null);
    List<Integer> contiguous = new ArrayList<>();
    for (int i = 0; i < found.size() && found.get(i) == i; i++) {
      contiguous.add(i);
    }
    return contiguous;
  }

  /** Relative path of a complete round's directory. */
  public String roundPath(int round) {
    return "rounds/" + roundName(round);
  }

  /**
   * Starts writing a round: removes any leftover temporary directory of a crashed attempt (and a
   * final directory without its marker) and creates a fresh temporary one.
   */
  public RoundWriter beginRound(int round) {
    Path tmp = resolve("rounds/_tmp-" + roundName(round));
    Path fin = resolve(roundPath(round));
    try {
      fs.delete(tmp, true);
      if (fs.exists(fin) && !fs.exists(new Path(fin, MARKER))) {
        fs.delete(fin, true);
      }
      if (!fs.mkdirs(tmp)) {
        throw new IOException("mkdirs returned false");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + tmp, e);
    }
    return new RoundWriter(tmp, fin);
  }

  /**
   * Removes every round directory numbered after {@code lastKept}, complete or not (temporary ones
   * too), e.g. before a resume recomputes them.
   */
  public void deleteRoundsAfter(int lastKept) {
    Path rounds = resolve("rounds");
    try {
      if (!fs.exists(rounds)) {
        return;
      }
      for (FileStatus st : fs.listStatus(rounds)) {
        String name = st.getPath().getName();
        Matcher m = ROUND.matcher(name.startsWith("_tmp-") ? name.substring(5) : name);
        if (m.matches() && Integer.parseInt(m.group(1)) > lastKept) {
          fs.delete(st.getPath(), true);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot clean " + rounds, e);
    }
  }

  /** Deletes a file or directory (recursively) if it exists. */
  public void delete(String relative) {
    try {
      fs.delete(resolve(relative), true);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + resolve(relative), e);
    }
  }

  /** Writes a text file through a temporary name and a rename, replacing any older version. */
  public void writeText(String relative, String text) {
    writeText(resolve(relative), text);
  }

  void writeText(Path target, String text) {
    Path tmp = new Path(target.getParent(), "._tmp-" + target.getName());
    try {
      try (OutputStream out = fs.create(tmp, true)) {
        out.write(text.getBytes(StandardCharsets.UTF_8));
      }
      fs.delete(target, false);
      if (!fs.rename(tmp, target)) {
        throw new IOException("rename to " + target + " returned false");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + target, e);
    }
  }

  public String readText(String relative) {
    Path p = resolve(relative);
    try (InputStream in = fs.open(p)) {
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      in.transferTo(buf);
      return buf.toString(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + p, e);
    }
  }

  /** One round being written; {@link #commit()} makes it visible to readers and to resume. */
  public final class RoundWriter {
    private final Path tmp;
    private final Path fin;

    RoundWriter(Path tmp, Path fin) {
      this.tmp = tmp;
      this.fin = fin;
    }

    /** Where a file of this round goes while the round is being written (e.g. a Parquet table). */
    public Path path(String name) {
      return new Path(tmp, name);
    }

    public void writeText(String name, String text) {
      StudyDirectory.this.writeText(new Path(tmp, name), text);
    }

    public void commit() {
      try {
        try (OutputStream out = fs.create(new Path(tmp, MARKER), true)) {
          out.write(new byte[0]);
        }
        if (!fs.rename(tmp, fin)) {
          throw new IOException("rename returned false");
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot commit round " + tmp + " -> " + fin, e);
      }
    }
  }
}
