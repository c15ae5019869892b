package dev.caviar.job;

import dev.caviar.config.DataSpec;
import dev.caviar.config.StudyConfig;
import dev.caviar.config.WatchSpec;
import dev.caviar.data.SyntheticFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code caviar feed}: drops CSV files of the config's synthetic problem (its concept shift
 * included) into the watched directory at a given rate, as a data source would. Each file is
 * written under a hidden name and renamed into place, so the watch never sees half a file.
 */
@Command(
    name = "feed",
    mixinStandardHelpOptions = true,
    description = {
      "Writes --files CSV files of --rows rows each of the config's data.synthetic problem",
      "(rows in order, so data.synthetic.shiftAfter shifts the concept mid-stream) into",
      "data.path, one every --every seconds (local file system)."
    })
final class FeedCommand implements Callable<Integer> {
  @Option(names = "--conf", paramLabel = "FILE", required = true, description = "watch config")
  String conf;

  @Option(names = "--files", defaultValue = "20", description = "files (default ${DEFAULT-VALUE})")
  int files;

  @Option(names = "--rows", defaultValue = "200", description = "rows a file (${DEFAULT-VALUE})")
  int rows;

  @Option(
      names = "--every",
      defaultValue = "2",
      description = "seconds between files (default ${DEFAULT-VALUE}; 0: all at once)")
  double every;

  @Option(names = "--first", defaultValue = "0", description = "the first file's number")
  int first;

  @Parameters(paramLabel = "key=value", arity = "0..*", description = "config overrides")
  List<String> overrides = new ArrayList<>();

  @CommandLine.Spec CommandLine.Model.CommandSpec command;

  @Override
  public Integer call() throws InterruptedException {
    WatchSpec spec = StudyConfig.loadWatch(Path.of(conf), overrides);
    DataSpec.Synthetic synthetic = spec.study().data().synthetic();
    if (synthetic == null) {
      throw new IllegalArgumentException(
          "data.synthetic: caviar feed generates the data.synthetic problem; the config has none");
    }
    if (files < 1 || rows < 1 || !(every >= 0)) {
      throw new IllegalArgumentException(
          "--files, --rows: must be >= 1, --every >= 0, got " + files + ", " + rows + ", " + every);
    }
    Path dir = Path.of(spec.study().data().path());
    PrintWriter out = command.commandLine().getOut();
    try {
      Files.createDirectories(dir);
      for (int f = first; f < first + files; f++) {
        String name = String.format(Locale.ROOT, "part-%05d.csv", f);
        Path tmp = dir.resolve("." + name + ".tmp");
        Files.writeString(
            tmp,
            SyntheticFiles.csv(
                synthetic, spec.study().study().seed(), (long) f * rows, (long) (f + 1) * rows),
            StandardCharsets.UTF_8);
        Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
        out.println(
            "feed: "
                + dir.resolve(name)
                + " (rows "
                + (long) f * rows
                + ".."
                + ((long) (f + 1) * rows - 1)
                + ")");
        out.flush();
        if (every > 0 && f + 1 < first + files) {
          Thread.sleep(Math.round(every * 1000));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("data.path: cannot write into " + dir, e);
    }
    return 0;
  }
}
