package dev.caviar.spark;

import java.io.Serializable;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.SparkEnv;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The BLAS one executor trained with. Native OpenBLAS and netlib's Java fallbacks round sums in a
 * different order, so the same seed gives scores that differ in the last bits and, through them,
 * possibly another winner: a round whose replicates ran on different implementations is not
 * reproducible on any one of them. Each task reports where it ran and with what; the driver checks.
 *
 * @param executor Spark's executor id ({@code driver} in local mode)
 * @param blas the class netlib picked in that JVM, e.g. {@code dev.ludovic.netlib.blas.JNIBLAS}
 * @param trainings how many trainings of the round (or final models) ran there
 */
public record ExecutorBlas(String executor, String blas, int trainings) implements Serializable {
  private static final Logger LOG = LoggerFactory.getLogger(ExecutorBlas.class);

  /** The executor this code runs on, with the BLAS its JVM loaded, for {@code trainings}. */
  static ExecutorBlas here(int trainings) {
    SparkEnv env = SparkEnv.get();
    return new ExecutorBlas(env == null ? "driver" : env.executorId(), blasOfThisJvm(), trainings);
  }

  static String blasOfThisJvm() {
    return dev.ludovic.netlib.blas.BLAS.getInstance().getClass().getName();
  }

  /** Merges reports by executor (a retried task reports twice; counts add up), ordered by id. */
  static java.util.List<ExecutorBlas> merge(Collection<ExecutorBlas> reports) {
    Map<String, ExecutorBlas> by = new TreeMap<>();
    for (ExecutorBlas r : reports) {
      by.merge(
          r.executor(),
          r,
          (a, b) -> {
            if (!a.blas().equals(b.blas())) {
              // Cannot happen within one JVM; keep both names visible if it ever does.
              return new ExecutorBlas(
                  a.executor(), a.blas() + "+" + b.blas(), a.trainings() + b.trainings());
            }
            return new ExecutorBlas(a.executor(), a.blas(), a.trainings() + b.trainings());
          });
    }
    return java.util.List.copyOf(by.values());
  }

  /** The distinct implementations among the reports, sorted. */
  static java.util.Set<String> implementations(Collection<ExecutorBlas> reports) {
    java.util.Set<String> out = new TreeSet<>();
    for (ExecutorBlas r : reports) {
      out.add(r.blas());
    }
    return out;
  }

  /**
   * Whether {@code reports} mix implementations; when they do, says so loudly in the log, naming
   * each executor and its BLAS, because the study's determinism promise does not hold across them.
   *
   * @param what the round or step, for the message
   */
  static boolean checkMixed(String what, Collection<ExecutorBlas> reports) {
    java.util.Set<String> impls = implementations(reports);
    if (impls.size() <= 1) {
      return false;
    }
    LOG.warn(
        "!!! {} trained on MIXED BLAS implementations {}: {}. Scores of the same seed differ"
            + " between them, so this study is not reproducible; install the same BLAS on every"
            + " executor (e.g. libopenblas0-pthread) or none",
        what,
        impls,
        merge(reports));
    return true;
  }
}
