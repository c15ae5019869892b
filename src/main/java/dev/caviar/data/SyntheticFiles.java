package dev.caviar.data;

import dev.caviar.config.DataSpec;
import dev.caviar.study.Purpose;
import dev.caviar.study.Seeds;
import java.util.Locale;

/**
 * The synthetic problem written out as CSV files, for a feeder that drops files into a watched
 * directory ({@code jobs/feed}). Rows are those a study of the same {@code data.synthetic} section
 * and seed generates, concept shift included, so a stream and a study see the same problem.
 */
public final class SyntheticFiles {
  private SyntheticFiles() {}

  /**
   * Rows {@code [from, to)} as CSV text: a header {@code label,x0,x1,...}, then one line a row.
   *
   * @param studySeed the study seed; the generator's seed derives from it as a study's does
   */
  public static String csv(DataSpec.Synthetic spec, long studySeed, long from, long to) {
    if (!(from >= 0 && to >= from)) {
      throw new IllegalArgumentException(
          "rows: must be 0 <= from <= to, got [" + from + ", " + to + ")");
    }
    long seed = Seeds.derive(studySeed, Purpose.SYNTHETIC_DATA, 0, 0, 0);
    SyntheticSource.Problem problem = SyntheticSource.Problem.of(spec, seed);
    StringBuilder sb = new StringBuilder("label");
    for (int j = 0; j < spec.features(); j++) {
      sb.append(",x").append(j);
    }
    sb.append('\n');
    for (long i = from; i < to; i++) {
      Example e = problem.row(seed, i);
      sb.append(e.label());
      for (double v : e.features()) {
        sb.append(',').append(String.format(Locale.ROOT, "%.6g", v));
      }
      sb.append('\n');
    }
    return sb.toString();
  }
}
