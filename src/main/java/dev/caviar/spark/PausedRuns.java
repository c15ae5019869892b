package dev.caviar.spark;

import dev.caviar.nn.TrainingRun;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The training runs an executor paused at an early-stopping checkpoint, waiting for the driver's
 * decision: the survivors' next stage takes them up where they stopped; a round's runs, held after
 * their last epoch when the next round's carried trials continue them ({@code study.carried =
 * continue}); and the last round's, when the final model continues them ({@code final.train =
 * continue}). A cache, never a source of truth: a run that is not here (another executor took the
 * task, the executor was replaced, or the memory cap evicted it) is trained again from its seed to
 * the same state, so results never depend on what this held. At most a quarter of the heap; least
 * recently used runs go first.
 */
final class PausedRuns {
  /** One replicate of one round of one study run ({@code study}: the runner's random id). */
  record Key(String study, int round, int trial, int shard) {}

  private static final long CAP_BYTES = Runtime.getRuntime().maxMemory() / 4;
  private static final Map<Key, TrainingRun> RUNS = new LinkedHashMap<>(16, 0.75f, true);
  private static long bytes;
  private static long taken;

  private PausedRuns() {}

  /** The run paused under {@code key}, removed from here; null when it is not here. */
  static synchronized TrainingRun take(Key key) {
    TrainingRun run = RUNS.remove(key);
    if (run != null) {
      bytes -= cost(run);
      taken++;
    }
    return run;
  }

  /** Keeps {@code run} for the next stage, evicting the least recently used if over the cap. */
  static synchronized void put(Key key, TrainingRun run) {
    long c = cost(run);
    if (c > CAP_BYTES) {
      return;
    }
    TrainingRun old = RUNS.put(key, run);
    bytes += c - (old == null ? 0 : cost(old));
    Iterator<Map.Entry<Key, TrainingRun>> it = RUNS.entrySet().iterator();
    while (bytes > CAP_BYTES && it.hasNext()) {
      Map.Entry<Key, TrainingRun> e = it.next();
      if (!e.getKey().equals(key)) {
        bytes -= cost(e.getValue());
        it.remove();
      }
    }
  }

  /**
   * Drops what the study's later stages will never take: runs of its earlier rounds, and runs of
   * {@code round} whose trial is not in {@code training}.
   */
  static void forget(String study, int round, Set<Integer> training) {
    forget(study, round, training, Set.of());
  }

  /**
   * As {@link #forget(String, int, Set)}, keeping the previous round's runs of {@code carried}: the
   * ones the round's carried trials go on from ({@code study.carried = continue}).
   */
  static synchronized void forget(
      String study, int round, Set<Integer> training, Set<Integer> carried) {
    Iterator<Map.Entry<Key, TrainingRun>> it = RUNS.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<Key, TrainingRun> e = it.next();
      Key k = e.getKey();
      boolean stale =
          k.round() < round - 1
              || (k.round() == round - 1 && !carried.contains(k.trial()))
              || (k.round() == round && !training.contains(k.trial()));
      if (k.study().equals(study) && stale) {
        bytes -= cost(e.getValue());
        it.remove();
      }
    }
  }

  /** Runs taken up since the JVM started, for tests. */
  static synchronized long taken() {
    return taken;
  }

  /** Runs held, for tests. */
  static synchronized int size() {
    return RUNS.size();
  }

  // Parameters and moments, plus half again for the workspaces.
  private static long cost(TrainingRun run) {
    return run.stateFloats() * 4 * 3 / 2;
  }
}
