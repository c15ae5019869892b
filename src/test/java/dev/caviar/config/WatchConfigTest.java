package dev.caviar.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The watch section: read through the same path as a study's, every rule naming its key. */
class WatchConfigTest {
  private static String message(String... overrides) {
    return assertThrows(
            RuntimeException.class,
            () -> StudyConfig.loadWatch(Path.of("conf/watch.conf"), List.of(overrides)))
        .getMessage();
  }

  @Test
  void theQuickstartWatchReadsWithItsSchedulesAndDrift() {
    WatchSpec w = StudyConfig.loadWatch(Path.of("conf/watch.conf"), List.of());
    assertEquals(2000, w.windowRows());
    assertEquals(1, w.rounds().size());
    assertEquals(2, w.study().study().rounds().size());
    assertEquals(3000, w.study().data().synthetic().shiftAfter());
    // The resolved config reads back to the same spec.
    WatchSpec again = StudyConfig.parseWatch(w.render(), "rendered", List.of());
    assertEquals(w.render(), again.render());
  }

  @Test
  void withoutAWatchSectionTheDefaultsAndTheStudysRoundsApply() {
    WatchSpec w = StudyConfig.loadWatch(Path.of("conf/watch.conf"), List.of("watch=null"));
    assertEquals(w.study().study().rounds(), w.rounds());
    assertEquals(400, w.evaluateRows());
  }

  @Test
  void badWatchValuesNameTheKeyTheRuleAndTheValue() {
    assertTrue(message("watch.windwRows=5").contains("did you mean 'windowRows'"));
    assertTrue(
        message("watch.evaluateRows=5000").contains("watch.evaluateRows: must be in [1,"),
        message("watch.evaluateRows=5000"));
    assertTrue(message("watch.drop=1.5").contains("watch.drop: must be in (0, 1), got 1.5"));
    assertTrue(
        message("watch.rounds=[{trials=4,epochs=8},{trials=2,epochs=4}]")
            .contains("watch.rounds[1].epochs: fidelity must not decrease"));
    assertTrue(
        message("data.source=synthetic", "data.path=null")
            .contains("data.source: caviar watch reads"));
    assertTrue(message("data.synthetic.shiftAfter=-1").contains("shiftAfter: must be >= 0"));
  }
}
