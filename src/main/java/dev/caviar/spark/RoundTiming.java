package dev.caviar.spark;

import dev.caviar.study.ReplicateScore;
import java.util.List;

/**
 * Where a round's time went: the efficiency figures of the Spark runner. The only output that
 * differs between two runs of the same study, so it lives in its own file ({@code timing.json}).
 *
 * @param wallMillis from the round's Spark job submitted to its last score back on the driver
 * @param trainingMillis the sum over replicates of their training time inside the tasks
 * @param cores the cores Spark offered (default parallelism)
 * @param busyFraction trainingMillis / (wallMillis x cores): 1 when every core trained all along
 * @param driverMillis driver work between rounds: sampling, aggregation and narrowing (not the
 *     write)
 * @param executors every executor that trained in the round, with its BLAS and its trainings
 * @param mixedBlas whether they used more than one BLAS implementation (see {@link ExecutorBlas})
 */
public record RoundTiming(
    long wallMillis,
    long trainingMillis,
    int cores,
    double busyFraction,
    long driverMillis,
    List<ExecutorBlas> executors,
    boolean mixedBlas) {

  static RoundTiming of(
      long wallNanos,
      List<ReplicateScore> scores,
      int cores,
      long driverNanos,
      List<ExecutorBlas> executors) {
    long training = 0;
    for (ReplicateScore s : scores) {
      training += s.trainingNanos();
    }
    double busy = wallNanos > 0 ? (double) training / ((double) wallNanos * cores) : 0;
    return new RoundTiming(
        wallNanos / 1_000_000,
        training / 1_000_000,
        cores,
        busy,
        driverNanos / 1_000_000,
        List.copyOf(executors),
        ExecutorBlas.implementations(executors).size() > 1);
  }
}
