package dev.caviar.spark;

import dev.caviar.nn.TrainingRun;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The training runs an executor paused at an early-stopping checkpoint, waiting for the driver's
 * decision: the survivors' next stage takes them up where they stopped; and the last round's runs,
 * held after their last epoch when the final model continues them ({@code final.train = continue}).
 * A cache, never a source of truth: a run that is not here (another executor took the task, the
 * executor was replaced, or the memory cap evicted it) is trained again from its seed to the same
 * state, so results never depend on what this held. At most a quarter of the heap; least recently
 * used runs go first.
 */
final class PausedRuns {
  /** One replicate of one round of one study run ({@code study}: the runner's random id). */
  record Key(String study, int round, int trial, int shard) {}

  private static final long CAP_BYTES = Runtime.getRuntime().maxMemory() / 4;
  private static final Map<Key, TrainingRun> RUNS = new LinkedHashMap<>(16, 0.75f, true);
  private static long bytes;

  private PausedRuns() {}

  /** The run paused under {@code key}, removed from here; null when it is not here. */
  static synchronized TrainingRun take(Key key) {
    TrainingRun run = RUNS.remove(key);
    if (run != null) {
      bytes -= cost(run);
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
  static synchronized void forget(String study, int round, Set<Integer> training) {
    Iterator<Map.Entry<Key, TrainingRun>> it = RUNS.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<Key, TrainingRun> e = it.next();
      Key k = e.getKey();
      if (k.study().equals(study)
          && (k.round() < round || (k.round() == round && !training.contains(k.trial())))) {
        bytes -= cost(e.getValue());
        it.remove();
      }
    }
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
