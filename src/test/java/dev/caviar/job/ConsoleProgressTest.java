package dev.caviar.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.caviar.study.ReplicateScore;
import dev.caviar.study.RoundPlan;
import dev.caviar.study.Status;
import dev.caviar.study.Trial;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The progress line: trials done of total, best so far and time left; in place on a terminal. */
class ConsoleProgressTest {
  private static final RoundPlan PLAN = new RoundPlan(0, 2, 1, 42);
  private static final List<Trial> TRIALS =
      List.of(
          new Trial(0, 0, 1, new TreeMap<>(), 1, -1), new Trial(0, 1, 2, new TreeMap<>(), 1, -1));

  private static ReplicateScore ok(int trial, int shard, double accuracy) {
    return ReplicateScore.ok(0, trial, shard, 7, accuracy, 0.5, 0.4, 1, List.of(), 1000);
  }

  private static String run(boolean terminal) {
    StringWriter text = new StringWriter();
    ConsoleProgress p = new ConsoleProgress(new PrintWriter(text), terminal);
    p.roundStarted(PLAN, TRIALS);
    // Two shards per trial: trial 0 is done after its second shard arrives.
    p.taskDone(PLAN, 2, 4, List.of(ok(0, 0, 0.6), ok(0, 1, 0.7)));
    p.taskDone(
        PLAN,
        4,
        4,
        List.of(
            ok(1, 0, 0.5),
            ReplicateScore.notOk(0, 1, 1, 8, Status.DIVERGED, "loss exploded", 0, List.of(), 9)));
    return text.toString();
  }

  @Test
  void aTerminalLineUpdatesInPlaceWithTrialsDoneBestAndTimeLeft() {
    String out = run(true);
    assertTrue(
        out.contains(
            "\r  round 1: 1/2 trials (2/4 trainings), best validation accuracy" + " 0.7000"),
        out);
    assertTrue(out.contains("\r  round 1: 2/2 trials (4/4 trainings)"), out);
    assertTrue(out.contains("1 diverged/failed"), out);
    assertTrue(out.contains("s left"), out);
  }

  @Test
  void aPipelineLogGetsPlainLinesWithoutCarriageReturns() {
    String out = run(false);
    assertEquals(-1, out.indexOf('\r'), out);
    assertTrue(out.contains("  round 1: 2/2 trials (4/4 trainings)"), out);
  }

  @Test
  void timeLeftCountsEpochsSoTrialsStoppedAtACheckpointAreNotWholeTrainings() {
    // 4 trainings of 30 epochs, two stopped at epoch 5 after 50 s: 20 epochs done (the stopped
    // two's 10, the survivors' 10), 50 to go: 125 s, where counting trainings said 50 s.
    assertEquals(125, ConsoleProgress.secondsLeft(50, 30, 2, 10, 5), 1e-9);
    // Without stopping it is the share of trainings: 2 of 4 done in 100 s, 100 s left.
    assertEquals(100, ConsoleProgress.secondsLeft(100, 30, 2, 60, 0), 1e-9);
    // A diverged training that ran 3 of its 30 epochs counts as 3 epochs of work.
    assertEquals(300, ConsoleProgress.secondsLeft(30, 30, 1, 3, 0), 1e-9);
    assertEquals(0, ConsoleProgress.secondsLeft(100, 30, 0, 120, 0), 0);
    assertTrue(Double.isNaN(ConsoleProgress.secondsLeft(1, 30, 4, 0, 0)));
  }
}
