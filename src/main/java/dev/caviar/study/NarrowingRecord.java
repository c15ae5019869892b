package dev.caviar.study;

import dev.caviar.space.Domain;
import java.io.Serializable;

/**
 * What one narrowing did to one parameter, and why.
 *
 * @param parameter the parameter name
 * @param oldRange its bounds in the round just scored
 * @param newRange its bounds for the next round
 * @param rule the rule applied
 * @param eliteCount elite trials in which the parameter was active
 * @param note a sentence for the report
 */
public record NarrowingRecord(
    String parameter, Domain oldRange, Domain newRange, Rule rule, int eliteCount, String note)
    implements Serializable {

  /** The rules a {@link Narrower} applies. */
  public enum Rule {
    /** Shrunk around the elite, padded by the margin. */
    NARROWED,
    /** The elite crowd the low edge: the range was wrong there, so it was widened downward. */
    WIDENED_LOW,
    /** The elite crowd the high edge: widened upward. */
    WIDENED_HIGH,
    /** The elite crowd an edge that is already the hard limit: the range could not widen. */
    EDGE_AT_LIMIT,
    /** The elite do not stand out from the noise: narrowed only half as far. */
    WITHIN_NOISE,
    /** Kept as it was (fixed, no OK trial, inactive in every elite trial, or nothing to cut). */
    UNCHANGED
  }

  public NarrowingRecord {
    if (parameter == null || oldRange == null || newRange == null || rule == null) {
      throw new IllegalArgumentException("narrowing: parameter, ranges and rule are required");
    }
    if (!(eliteCount >= 0)) {
      throw new IllegalArgumentException("narrowing.eliteCount: must be >= 0, got " + eliteCount);
    }
  }
}
