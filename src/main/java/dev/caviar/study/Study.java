package dev.caviar.study;

import dev.caviar.space.Region;
import dev.caviar.space.SearchSpace;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A coarse-to-fine study as a pure ask/tell loop. {@link #ask()} gives the current round's trials:
 * the best {@code carry} trials of the previous round, re-scored at the new fidelity (from a new
 * seed, or continued from where they stopped: {@link Carried}) so the final winner is judged like
 * its rivals, then fresh draws from the current region. {@link #tell} takes their results and
 * narrows the region for the next round.
 *
 * <p>Every trial is a pure function of the study seed and the results told before it, so {@link
 * #replay} of the completed rounds rebuilds exactly the state an uninterrupted study had.
 */
public final class Study {
  private static final Logger LOG = LoggerFactory.getLogger(Study.class);

  private final StudySettings settings;
  private final SearchSpace space;
  private final Sampler sampler;
  private final Narrower narrower;
  private final List<RoundRecord> history = new ArrayList<>();
  private Region region;
  private int nextNumber;
  private List<Trial> pending;

  private Study(StudySettings settings, SearchSpace space, Sampler sampler, Region start) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.space = Objects.requireNonNull(space, "space");
    this.sampler = Objects.requireNonNull(sampler, "sampler");
    this.narrower = settings.narrower();
    start.checkAgainst(space);
    this.region = start;
  }

  public static Study create(StudySettings settings, SearchSpace space) {
    return create(settings, space, Sampler.named("study.sampler", settings.sampler()));
  }

  public static Study create(StudySettings settings, SearchSpace space, Sampler sampler) {
    return new Study(settings, space, sampler, space.initialRegion());
  }

  /** A study whose first round samples {@code start}, e.g. an earlier study's final region. */
  public static Study warmStart(StudySettings settings, SearchSpace space, Region start) {
    return new Study(settings, space, Sampler.named("study.sampler", settings.sampler()), start);
  }

  /**
   * Rebuilds a study from the results of its completed rounds (for {@code --resume}). Each stored
   * round must hold exactly the trials the study asks for; a difference means the config or seed
   * changed and fails with the first trial that differs.
   */
  public static Study replay(
      StudySettings settings, SearchSpace space, List<List<TrialResult>> completedRounds) {
    Study s = create(settings, space);
    for (List<TrialResult> stored : completedRounds) {
      if (s.isFinished()) {
        throw new IllegalArgumentException(
            "resume: more stored rounds (" + completedRounds.size() + ") than the schedule has");
      }
      List<Trial> asked = s.ask();
      Map<Integer, Trial> byNumber = new HashMap<>();
      for (Trial t : asked) {
        byNumber.put(t.number(), t);
      }
      List<TrialResult> rebound = new ArrayList<>();
      for (TrialResult r : stored) {
        Trial t = byNumber.get(r.trial().number());
        if (t == null || !sameTrial(t, r.trial())) {
          throw new IllegalArgumentException(
              "resume: round "
                  + s.round()
                  + " trial "
                  + r.trial().number()
                  + " differs from the stored results (config or seed changed?): stored "
                  + r.trial()
                  + ", expected "
                  + t);
        }
        rebound.add(
            new TrialResult(
                t,
                r.objective(),
                r.status(),
                r.mean(),
                r.std(),
                r.n(),
                r.min(),
                r.max(),
                r.diverged(),
                r.failed(),
                r.replicates()));
      }
      s.tell(rebound);
    }
    return s;
  }

  /** Trials read back from a file may carry 3 as a Double; compare numbers by value. */
  private static boolean sameTrial(Trial a, Trial b) {
    if (a.round() != b.round()
        || a.number() != b.number()
        || a.seed() != b.seed()
        || a.epochs() != b.epochs()
        || a.carriedFrom() != b.carriedFrom()
        || !a.params().keySet().equals(b.params().keySet())) {
      return false;
    }
    for (Map.Entry<String, Object> e : a.params().entrySet()) {
      Object x = e.getValue();
      Object y = b.params().get(e.getKey());
      boolean same =
          x instanceof Number nx && y instanceof Number ny
              ? nx.doubleValue() == ny.doubleValue()
              : x.equals(y);
      if (!same) {
        return false;
      }
    }
    return true;
  }

  /** The index of the current round (= the number of completed rounds). */
  public int round() {
    return history.size();
  }

  public boolean isFinished() {
    return history.size() == settings.rounds().size();
  }

  /** The current round's plan, for the runner. */
  public RoundPlan plan() {
    checkNotFinished();
    RoundSpec spec = settings.rounds().get(round());
    return new RoundPlan(
        round(), settings.rounds().size(), spec.epochs(), settings.seed(), spec.confirm());
  }

  /** The region the current round samples (after the last round: the last narrowed region). */
  public Region region() {
    return region;
  }

  public StudySettings settings() {
    return settings;
  }

  public SearchSpace space() {
    return space;
  }

  public List<RoundRecord> history() {
    return Collections.unmodifiableList(history);
  }

  /** The current round's trials; the same list until {@link #tell} is called. */
  public List<Trial> ask() {
    checkNotFinished();
    if (pending != null) {
      return pending;
    }
    int r = round();
    RoundSpec spec = settings.rounds().get(r);
    List<Trial> trials = new ArrayList<>();
    if (r > 0) {
      List<TrialResult> previous =
          history.get(r - 1).results().stream()
              .filter(x -> x.status() == Status.OK)
              .sorted(TrialResult.BEST_FIRST)
              .limit(Math.min(settings.carry(), spec.trials()))
              .toList();
      for (TrialResult p : previous) {
        // study.carried = continue: the trial keeps its seed, so that its network can go on from
        // where it stopped (or be trained again from the seed to the same state).
        long seed =
            settings.carried() == Carried.CONTINUE
                ? p.trial().seed()
                : Seeds.derive(settings.seed(), Purpose.TRAIN, r, nextNumber, 0);
        trials.add(trial(r, p.trial().params(), spec.epochs(), p.trial().number(), seed));
      }
    }
    long sampleSeed = Seeds.derive(settings.seed(), Purpose.SAMPLE, r, 0, 0);
    for (SortedMap<String, Object> params :
        sampler.sample(space, region, spec.trials() - trials.size(), sampleSeed)) {
      trials.add(
          trial(
              r,
              params,
              spec.epochs(),
              -1,
              Seeds.derive(settings.seed(), Purpose.TRAIN, r, nextNumber, 0)));
    }
    pending = List.copyOf(trials);
    return pending;
  }

  private Trial trial(
      int round, SortedMap<String, Object> params, int epochs, int carriedFrom, long seed) {
    return new Trial(round, nextNumber++, seed, params, epochs, carriedFrom);
  }

  /** Aggregates replicate scores per trial (a trial with none is FAILED) and tells them. */
  public void tellScores(List<ReplicateScore> scores) {
    List<Trial> trials = ask();
    Map<Integer, List<ReplicateScore>> byTrial = new HashMap<>();
    for (ReplicateScore s : scores) {
      byTrial.computeIfAbsent(s.trial(), k -> new ArrayList<>()).add(s);
    }
    List<TrialResult> results = new ArrayList<>();
    for (Trial t : trials) {
      List<ReplicateScore> mine = byTrial.getOrDefault(t.number(), List.of());
      TrialResult res = TrialResult.aggregate(t, mine, settings.metric());
      if (mine.isEmpty()) {
        LOG.warn("round {} trial {}: the runner returned no score", t.round(), t.number());
      }
      results.add(res);
    }
    if (byTrial.keySet().stream().anyMatch(n -> trials.stream().noneMatch(t -> t.number() == n))) {
      throw new IllegalArgumentException(
          "tell: scores for trials not in round " + round() + ": " + byTrial.keySet());
    }
    tell(results);
  }

  /** Records the current round's results and narrows the region for the next round. */
  public void tell(List<TrialResult> results) {
    List<Trial> trials = ask();
    Map<Integer, TrialResult> byNumber = new HashMap<>();
    for (TrialResult r : results) {
      if (byNumber.put(r.trial().number(), r) != null) {
        throw new IllegalArgumentException("tell: two results for trial " + r.trial().number());
      }
    }
    List<TrialResult> ordered = new ArrayList<>();
    for (Trial t : trials) {
      TrialResult r = byNumber.remove(t.number());
      if (r == null) {
        throw new IllegalArgumentException(
            "tell: no result for trial " + t.number() + " of round " + round());
      }
      ordered.add(r);
    }
    if (!byNumber.isEmpty()) {
      throw new IllegalArgumentException(
          "tell: results for trials not in round " + round() + ": " + byNumber.keySet());
    }
    int r = round();
    List<NarrowingRecord> narrowing = List.of();
    Region sampled = region;
    if (r + 1 < settings.rounds().size()) {
      Narrower.Narrowing n = narrower.narrow(space, region, ordered);
      narrowing = n.records();
      region = n.region();
    }
    history.add(
        new RoundRecord(r, settings.rounds().get(r).epochs(), sampled, trials, ordered, narrowing));
    pending = null;
    for (NarrowingRecord rec : narrowing) {
      LOG.info(
          "round {} {}: {} -> {} ({}; {})",
          r,
          rec.parameter(),
          rec.oldRange().describe(),
          rec.newRange().describe(),
          rec.rule(),
          rec.note());
    }
  }

  /**
   * The best trial of the last completed round (all trials there trained at the same fidelity) and
   * the trials within one combined standard error of it (a single replicate's spread taken from the
   * round's trials with several: {@link TrialResult#pooledStd}); empty if no trial there was OK.
   */
  public Optional<Best> best() {
    if (history.isEmpty()) {
      return Optional.empty();
    }
    List<TrialResult> ok =
        history.get(history.size() - 1).results().stream()
            .filter(x -> x.status() == Status.OK)
            .sorted(TrialResult.BEST_FIRST)
            .toList();
    if (ok.isEmpty()) {
      return Optional.empty();
    }
    TrialResult winner = ok.get(0);
    List<TrialResult> ties = new ArrayList<>();
    // A round that confirmed its leaders knows the seed noise of the others too.
    double pooled = TrialResult.pooledStd(ok);
    for (TrialResult other : ok.subList(1, ok.size())) {
      if (winner.score() - other.score()
          <= TrialResult.combinedStandardError(winner, other, pooled)) {
        ties.add(other);
      }
    }
    return Optional.of(new Best(winner, ties));
  }

  /** Runs every remaining round through {@code runner}. */
  public Study run(TrialRunner runner) {
    while (!isFinished()) {
      RoundPlan plan = plan();
      tellScores(runner.run(plan, ask()));
    }
    return this;
  }

  private void checkNotFinished() {
    if (isFinished()) {
      throw new IllegalStateException(
          "study: all " + settings.rounds().size() + " rounds are complete");
    }
  }
}
