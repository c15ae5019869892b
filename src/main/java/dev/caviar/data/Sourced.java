package dev.caviar.data;

import java.io.Serializable;

/**
 * A checked row and where it was read. Only the error paths look at {@code place}: a message about
 * a row names its file and line (text), record (IDX) or row (Parquet), never an internal id.
 */
record Sourced(Example example, Place place) implements Serializable {

  /** Where a row was read; {@link #describe} may read the file again (it runs only on errors). */
  interface Place extends Serializable {
    /**
     * {@code FILE:LINE} for text, {@code FILE: record N} for IDX, {@code FILE: row N} otherwise.
     */
    String describe();
  }

  /** A row of a file without lines: {@code FILE: unit N}. */
  record Indexed(String file, String unit, long index) implements Place {
    @Override
    public String describe() {
      return file + ": " + unit + " " + index;
    }
  }
}
