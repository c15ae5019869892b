package dev.caviar.study;

import java.io.Serializable;
import java.util.List;

/**
 * The {@code study} section of a config: everything about the search except the space.
 *
 * @param name the study's name (used in output paths and reports)
 * @param seed the study seed every other seed derives from
 * @param rounds the schedule: trials and epochs per round
 * @param elite a fraction in (0, 1) of the OK trials, or a whole count >= 1
 * @param margin padding around the elite, as a share of the current width
 * @param carry how many best trials of a round are re-scored in the next, at its fidelity
 * @param metric what "best" means
 * @param divergenceFactor a trainer stops a replicate as DIVERGED when its loss exceeds this many
 *     times its initial loss (about ln C)
 * @param sampler random, sobol or grid
 * @param minWidth smallest range after narrowing, as a share of the initial width
 * @param choiceFloor fewest values a choice keeps after narrowing
 * @param stopping within-round early stopping ({@link Stopping#NONE}: every trial trains its
 *     round's epochs)
 * @param carried whether a carried trial restarts from a new seed or continues its network
 */
public record StudySettings(
    String name,
    long seed,
    List<RoundSpec> rounds,
    double elite,
    double margin,
    int carry,
    Objective metric,
    double divergenceFactor,
    String sampler,
    double minWidth,
    int choiceFloor,
    Stopping stopping,
    Carried carried)
    implements Serializable {

  public StudySettings {
    if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
      throw new IllegalArgumentException(
          "study.name: must be letters, digits, '.', '_' or '-', got '" + name + "'");
    }
    if (rounds == null || rounds.isEmpty()) {
      throw new IllegalArgumentException("study.rounds: must list at least one round, got []");
    }
    rounds = List.copyOf(rounds);
    for (int r = 1; r < rounds.size(); r++) {
      if (!(rounds.get(r).epochs() >= rounds.get(r - 1).epochs())) {
        throw new IllegalArgumentException(
            "study.rounds["
                + r
                + "].epochs: fidelity must not decrease from round to round, got "
                + rounds.get(r).epochs()
                + " after "
                + rounds.get(r - 1).epochs());
      }
    }
    if (!(carry >= 0)) {
      throw new IllegalArgumentException("study.carry: must be >= 0, got " + carry);
    }
    for (int r = 1; r < rounds.size(); r++) {
      if (!(carry <= rounds.get(r).trials())) {
        throw new IllegalArgumentException(
            "study.carry: must be <= the trials of round "
                + r
                + " ("
                + rounds.get(r).trials()
                + "), got "
                + carry);
      }
    }
    if (metric == null) {
      throw new IllegalArgumentException("study.metric: is required");
    }
    if (!(divergenceFactor > 1) || Double.isInfinite(divergenceFactor)) {
      throw new IllegalArgumentException(
          "study.divergenceFactor: must be a finite number > 1, got " + divergenceFactor);
    }
    if (stopping == null) {
      throw new IllegalArgumentException("study.stopping: is required (Stopping.NONE for none)");
    }
    if (carried == null) {
      throw new IllegalArgumentException("study.carried: is required");
    }
    if (carried == Carried.CONTINUE && carry > 0) {
      for (int r = 1; r < rounds.size(); r++) {
        int before = rounds.get(r - 1).epochs();
        for (int at : stopping.checkpoints(rounds.get(r).epochs())) {
          if (at < before) {
            // A continued trial is past that checkpoint: its score there is not its rivals'.
            throw new IllegalArgumentException(
                String.format(
                    "study.carried: continue needs round %d's early-stopping checkpoints at or"
                        + " after the %d epochs its carried trials already trained, got a"
                        + " checkpoint at epoch %d (study.stopping.at)",
                    r, before, at));
          }
        }
      }
    }
    Sampler.named("study.sampler", sampler);
    try {
      new Narrower(elite, margin, minWidth, choiceFloor);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("study." + e.getMessage(), e);
    }
  }

  // The defaults, once: the config reader's key table (config.Keys) and of(...) both use them.
  public static final String DEFAULT_NAME = "study";
  public static final long DEFAULT_SEED = 1;
  public static final double DEFAULT_ELITE = 0.1;
  public static final double DEFAULT_MARGIN = 0.1;
  public static final int DEFAULT_CARRY = 2;
  public static final Objective DEFAULT_METRIC = Objective.ACCURACY;
  public static final double DEFAULT_DIVERGENCE_FACTOR = 10;
  public static final String DEFAULT_SAMPLER = Sampler.Kind.RANDOM.configName();
  public static final double DEFAULT_MIN_WIDTH = 0.05;
  public static final int DEFAULT_CHOICE_FLOOR = 2;
  public static final Carried DEFAULT_CARRIED = Carried.RESTART;

  /** Settings with the defaults of the config reader. */
  public static StudySettings of(String name, long seed, List<RoundSpec> rounds) {
    return new StudySettings(
        name,
        seed,
        rounds,
        DEFAULT_ELITE,
        DEFAULT_MARGIN,
        DEFAULT_CARRY,
        DEFAULT_METRIC,
        DEFAULT_DIVERGENCE_FACTOR,
        DEFAULT_SAMPLER,
        DEFAULT_MIN_WIDTH,
        DEFAULT_CHOICE_FLOOR,
        Stopping.NONE,
        DEFAULT_CARRIED);
  }

  public StudySettings withSampler(String sampler) {
    return copy(seed, rounds, sampler, stopping, carried);
  }

  public StudySettings withRounds(List<RoundSpec> rounds) {
    return copy(seed, rounds, sampler, stopping, carried);
  }

  public StudySettings withSeed(long seed) {
    return copy(seed, rounds, sampler, stopping, carried);
  }

  /** These settings with carried trials restarting or continuing. */
  public StudySettings withCarried(Carried carried) {
    return copy(seed, rounds, sampler, stopping, carried);
  }

  /** These settings with another early-stopping rule. */
  public StudySettings withStopping(Stopping stopping) {
    return copy(seed, rounds, sampler, stopping, carried);
  }

  private StudySettings copy(
      long seed, List<RoundSpec> rounds, String sampler, Stopping stopping, Carried carried) {
    return new StudySettings(
        name,
        seed,
        rounds,
        elite,
        margin,
        carry,
        metric,
        divergenceFactor,
        sampler,
        minWidth,
        choiceFloor,
        stopping,
        carried);
  }

  public Narrower narrower() {
    return new Narrower(elite, margin, minWidth, choiceFloor);
  }

  public int totalTrials() {
    return rounds.stream().mapToInt(RoundSpec::trials).sum();
  }
}
