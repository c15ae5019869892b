package dev.caviar.study;

import dev.caviar.space.Region;
import java.io.Serializable;
import java.util.List;

/**
 * One completed round: the region it sampled, its trials and results, and the narrowing that
 * produced the next round's region (empty after the last round).
 */
public record RoundRecord(
    int round,
    int epochs,
    Region region,
    List<Trial> trials,
    List<TrialResult> results,
    List<NarrowingRecord> narrowing)
    implements Serializable {
  public RoundRecord {
    trials = List.copyOf(trials);
    results = List.copyOf(results);
    narrowing = List.copyOf(narrowing);
  }
}
