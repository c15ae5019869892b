package dev.caviar.spark;

/**
 * A study that ran but found no configuration to keep: every last-round trial diverged or failed.
 */
public final class NoUsableTrialException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public NoUsableTrialException(String message) {
    super(message);
  }
}
