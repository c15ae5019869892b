package dev.caviar.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Seeds are a documented function, not just "some stable number": the values below come from an
 * independent implementation of SplitMix64's finaliser and FNV-1a (Python, 64-bit masks), so a
 * changed constant or shift, which would silently change every study's trials, fails here.
 */
class SeedsAndScoresTest {

  @Test
  void seedsAreSplitMix64AndFnv1aExactly() {
    assertEquals(0L, Seeds.mix(0));
    assertEquals(6238072747940578789L, Seeds.mix(1));
    assertEquals(5185122842947594062L, Seeds.mix(-5));
    assertEquals(357604972004020389L, Seeds.combine(7, 3));
    assertEquals(2766583780623041761L, Seeds.derive(42, Purpose.SAMPLE, 1, 2, 3));
    assertEquals(-2080218928043012532L, Seeds.derive(42, Purpose.TRAIN, 0, 0, 0));
    assertEquals(-7098444155463529062L, Seeds.named(9, "learningRate"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Seeds.derive(1, null, 0, 0, 0));
    assertEquals("purpose: is required", e.getMessage());
  }

  @Test
  void anOkReplicateNeedsAScoreAndNoReason() {
    ReplicateScore ok = ReplicateScore.ok(0, 0, 0, 5, 0.5, Double.NaN, 0.3, 2, null, 10);
    assertEquals(List.of(), ok.curve());
    assertEquals(Status.OK, ok.status());
    ReplicateScore.ok(1, 2, 3, 5, Double.NaN, 0.7, 0.3, 0, List.of(), 10);
    ReplicateScore.ok(0, 0, 0, 5, 0, 1, 0.3, 0, List.of(), 10);
    ReplicateScore.ok(0, 0, 0, 5, 1, 1, 0.3, 0, List.of(), 10);
    rejects(
        "replicate: an OK replicate needs a validation accuracy or loss, got NaN and NaN",
        () -> ReplicateScore.ok(0, 0, 0, 5, Double.NaN, Double.NaN, 0.3, 2, null, 10));
    rejects(
        "replicate.validationAccuracy: must be in [0, 1], got 1.5",
        () -> ReplicateScore.ok(0, 0, 0, 5, 1.5, 0.1, 0.3, 2, null, 10));
    rejects(
        "replicate.validationAccuracy: must be in [0, 1], got -0.5",
        () -> ReplicateScore.ok(0, 0, 0, 5, -0.5, 0.1, 0.3, 2, null, 10));
    rejects(
        "replicate.epochsRun: must be >= 0, got -1",
        () -> ReplicateScore.ok(0, 0, 0, 5, 0.5, 0.1, 0.3, -1, null, 10));
    rejects(
        "replicate: round, trial and shard must be >= 0, got -1/0/0",
        () -> ReplicateScore.ok(-1, 0, 0, 5, 0.5, 0.1, 0.3, 1, null, 10));
    rejects(
        "replicate: round, trial and shard must be >= 0, got 0/-1/0",
        () -> ReplicateScore.ok(0, -1, 0, 5, 0.5, 0.1, 0.3, 1, null, 10));
    rejects(
        "replicate: round, trial and shard must be >= 0, got 0/0/-1",
        () -> ReplicateScore.ok(0, 0, -1, 5, 0.5, 0.1, 0.3, 1, null, 10));
    rejects(
        "replicate.reason: must be null when OK, got why",
        () -> new ReplicateScore(0, 0, 0, 5, Status.OK, 0.5, 0.1, 0.3, 1, "why", List.of(), 10));
    rejects(
        "replicate.status: is required",
        () -> new ReplicateScore(0, 0, 0, 5, null, 0.5, 0.1, 0.3, 1, null, List.of(), 10));
  }

  @Test
  void aFailedReplicateNeedsAReasonAndHasNoScore() {
    ReplicateScore d =
        ReplicateScore.notOk(0, 1, 0, 5, Status.DIVERGED, "loss is NaN", 1, List.of(), 10);
    assertTrue(Double.isNaN(d.validationAccuracy()) && Double.isNaN(d.validationLoss()));
    assertEquals("loss is NaN", d.reason());
    rejects(
        "replicate.reason: is required when DIVERGED",
        () -> ReplicateScore.notOk(0, 1, 0, 5, Status.DIVERGED, " ", 1, List.of(), 10));
    rejects(
        "replicate.reason: is required when DIVERGED",
        () -> ReplicateScore.notOk(0, 1, 0, 5, Status.DIVERGED, null, 1, List.of(), 10));
    rejects(
        "replicate.status: must not be OK or STOPPED here, got OK",
        () -> ReplicateScore.notOk(0, 1, 0, 5, Status.OK, "x", 1, List.of(), 10));
  }

  private static void rejects(String message, Runnable build) {
    assertEquals(message, assertThrows(IllegalArgumentException.class, build::run).getMessage());
  }
}
