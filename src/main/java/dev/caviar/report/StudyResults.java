package dev.caviar.report;

import dev.caviar.study.ReplicateScore;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A study directory read back as records: its complete rounds (trials, region, replicates), its
 * best configuration when it finished, and its resolved configuration. What the report and {@code
 * caviar show} display, and nothing they have to parse themselves.
 *
 * @param root the directory, as the study names it
 * @param best {@code best.json}, or null when the study has not finished
 */
public record StudyResults(
    String root, List<RoundResults> rounds, BestFile.Record best, String config) {

  public StudyResults {
    rounds = List.copyOf(rounds);
  }

  /**
   * One complete round.
   *
   * @param scores its replicates, empty when the round has no {@code replicates.jsonl}
   */
  public record RoundResults(
      int round, List<TrialRecord> trials, RegionFile.Round region, List<ReplicateScore> scores) {
    public RoundResults {
      trials = List.copyOf(trials);
      scores = List.copyOf(scores);
    }

    public RoundSummary summary() {
      return RoundSummary.of(round, region.epochs(), trials);
    }

    /** The metric's config name as the trials record it (accuracy when the round has none). */
    public boolean higherIsBetter() {
      return trials.isEmpty() || trials.get(0).higherIsBetter();
    }
  }

  /**
   * Reads a study directory.
   *
   * @throws IllegalArgumentException when the directory holds no study, or a file of it cannot be
   *     read (the message names the file)
   */
  public static StudyResults read(StudyDirectory dir) {
    if (!dir.exists(StudyFiles.CONFIG)) {
      throw new IllegalArgumentException(
          dir.root() + ": not a Caviar study directory (no " + StudyFiles.CONFIG + ")");
    }
    List<Integer> numbers;
    try {
      numbers = dir.completeRounds();
    } catch (UncheckedIOException e) {
      throw new IllegalArgumentException(dir.root() + ": cannot list the rounds: " + e, e);
    }
    List<RoundResults> rounds = new ArrayList<>();
    for (int r : numbers) {
      rounds.add(readRound(dir, r));
    }
    return new StudyResults(
        dir.root().toString(),
        rounds,
        BestFile.readIfPresent(dir),
        dir.readText(StudyFiles.CONFIG));
  }

  private static RoundResults readRound(StudyDirectory dir, int r) {
    List<TrialRecord> trials =
        TrialTable.read(
            text(dir, r, RoundFiles.TRIALS_JSON), source(dir, r, RoundFiles.TRIALS_JSON));
    RegionFile.Round region =
        RegionFile.read(text(dir, r, RoundFiles.REGION), source(dir, r, RoundFiles.REGION));
    String replicates = RoundFiles.path(dir, r, RoundFiles.REPLICATES_JSON);
    List<ReplicateScore> scores =
        dir.exists(replicates)
            ? ReplicateTable.read(
                dir.readText(replicates), source(dir, r, RoundFiles.REPLICATES_JSON))
            : List.of();
    return new RoundResults(r, trials, region, scores);
  }

  private static String text(StudyDirectory dir, int round, String name) {
    try {
      return dir.readText(RoundFiles.path(dir, round, name));
    } catch (UncheckedIOException e) {
      throw new IllegalArgumentException(
          source(dir, round, name) + ": cannot read the study's file: " + e.getMessage(), e);
    }
  }

  private static String source(StudyDirectory dir, int round, String name) {
    return dir.resolve(RoundFiles.path(dir, round, name)).toString();
  }
}
