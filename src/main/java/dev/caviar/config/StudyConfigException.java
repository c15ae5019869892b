package dev.caviar.config;

/** A study config that cannot be used: the message names the file, the key, the rule and value. */
public final class StudyConfigException extends IllegalArgumentException {
  public StudyConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
