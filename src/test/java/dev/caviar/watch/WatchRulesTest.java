package dev.caviar.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.caviar.config.WatchSpec;
import dev.caviar.report.WatchLog.Part;
import dev.caviar.report.WatchLog.Scored;
import dev.caviar.report.WatchLog.State;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The re-tune rules and the window, without Spark. */
class WatchRulesTest {
  // windowRows 1200, evaluateRows 400, drop 0.1, minRows 400, everyRows 600.
  private static final WatchSpec SPEC =
      WatchStreams.spec(WatchStreams.config(Path.of("/in"), Path.of("/out"), 0, 600));

  private static State withModel(double published, List<Part> window, List<Scored> scored) {
    return new State(9, 2000, 6, 3, 2, published, 0, window, scored, null, null, List.of());
  }

  @Test
  void theFirstModelWaitsForMinRows() {
    WatchRules.Learned one = WatchRules.learn(State.initial(), SPEC, 0, 200, -1);
    assertEquals(WatchRules.Reason.NONE, one.reason());
    State after =
        new State(0, 200, 6, 0, 0, null, 200, one.window(), one.scored(), null, null, List.of());
    assertEquals(WatchRules.Reason.FIRST, WatchRules.learn(after, SPEC, 1, 200, -1).reason());
  }

  @Test
  void aDropBeyondTheThresholdFiresAndLearnsFromTheBatchesThatFell() {
    List<Part> window = List.of(new Part(7, 200), new Part(8, 200));
    State prev = withModel(0.98, window, List.of(new Scored(7, 200, 196), new Scored(8, 200, 194)));
    WatchRules.Learned l = WatchRules.learn(prev, SPEC, 9, 400, 40);
    assertEquals(WatchRules.Reason.DROP, l.reason());
    assertEquals(List.of(new Part(9, 400)), l.trainOn());
    assertEquals(0.1, l.recentAccuracy(), 1e-12);
  }

  @Test
  void aDropWaitsForMinRowsOfTheNewConcept() {
    List<Part> window = List.of(new Part(7, 200), new Part(8, 200));
    State prev = withModel(0.98, window, List.of(new Scored(7, 200, 196), new Scored(8, 200, 194)));
    WatchRules.Learned l = WatchRules.learn(prev, SPEC, 9, 200, 20);
    assertEquals((194 + 20) / 400.0, l.recentAccuracy(), 1e-12);
    assertEquals(WatchRules.Reason.NONE, l.reason(), "200 rows since the drop, minRows 400");
    State next =
        new State(9, 2200, 6, 3, 2, 0.98, 200, l.window(), l.scored(), null, null, List.of());
    WatchRules.Learned fired = WatchRules.learn(next, SPEC, 10, 200, 10);
    assertEquals(WatchRules.Reason.DROP, fired.reason());
    assertEquals(List.of(new Part(9, 200), new Part(10, 200)), fired.trainOn());
  }

  @Test
  void aDropLastingLongerThanTheEvaluationSpanFiresOnceMinRowsOfItArrived() {
    WatchSpec spec =
        dev.caviar.config.StudyConfig.parseWatch(
            WatchStreams.config(Path.of("/in"), Path.of("/out"), 0, 0),
            "watch.conf",
            List.of("watch.minRows=600"));
    State s =
        withModel(
            0.98,
            List.of(new Part(7, 200), new Part(8, 200)),
            List.of(new Scored(7, 200, 196), new Scored(8, 200, 194)));
    for (long b = 9; b <= 11; b++) {
      WatchRules.Learned l = WatchRules.learn(s, spec, b, 200, 2);
      if (b < 11) {
        assertEquals(WatchRules.Reason.NONE, l.reason(), "batch " + b);
      } else {
        assertEquals(WatchRules.Reason.DROP, l.reason());
        assertEquals(List.of(new Part(9, 200), new Part(10, 200), new Part(11, 200)), l.trainOn());
      }
      s = new State(b, 0, 6, 3, 2, 0.98, 0, l.window(), l.scored(), null, null, List.of());
    }
  }

  @Test
  void noiseWithinTheThresholdFiresNothing() {
    List<Part> window = List.of(new Part(7, 200), new Part(8, 200));
    State prev = withModel(0.98, window, List.of(new Scored(7, 200, 190), new Scored(8, 200, 186)));
    assertEquals(WatchRules.Reason.NONE, WatchRules.learn(prev, SPEC, 9, 200, 180).reason());
  }

  @Test
  void tooFewScoredRowsFireNoDrop() {
    State prev = withModel(0.98, List.of(new Part(8, 200)), List.of());
    WatchRules.Learned l = WatchRules.learn(prev, SPEC, 9, 200, 0);
    assertNull(l.recentAccuracy());
    assertEquals(WatchRules.Reason.NONE, l.reason());
  }

  @Test
  void everyRowsFiresOnRowsSinceTheLastReTune() {
    State prev =
        new State(
            9,
            2000,
            6,
            3,
            2,
            0.98,
            400,
            List.of(new Part(8, 400)),
            List.of(),
            null,
            null,
            List.of());
    assertEquals(WatchRules.Reason.EVERY, WatchRules.learn(prev, SPEC, 10, 200, 198).reason());
  }

  @Test
  void theWindowKeepsTheNewestPartsThatFillIt() {
    List<Part> window = new java.util.ArrayList<>();
    for (int b = 0; b < 10; b++) {
      window.add(new Part(b, 300));
    }
    WatchRules.trim(window, 1200);
    assertEquals(List.of(6L, 7L, 8L, 9L), window.stream().map(Part::batch).toList());
    window.add(new Part(10, 100));
    WatchRules.trim(window, 1200);
    // 7..10 hold 1000 rows: part 6 stays, its oldest rows outside the window.
    assertEquals(6L, window.get(0).batch());
  }
}
