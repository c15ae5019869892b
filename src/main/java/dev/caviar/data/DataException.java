package dev.caviar.data;

/**
 * Bad input data: a missing path, no rows, a non-finite feature, a row of the wrong width, a label
 * that is not an integer class, a column that does not exist. The message names the file or key,
 * the row when it is known, the rule and the value; it is meant to be shown to the user as is.
 */
public final class DataException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DataException(String message) {
    super(message);
  }

  public DataException(String message, Throwable cause) {
    super(message, cause);
  }
}
