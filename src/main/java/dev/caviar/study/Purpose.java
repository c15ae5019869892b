package dev.caviar.study;

/** What a derived seed is for; each purpose gets its own stream so uses never collide. */
public enum Purpose {
  /** Drawing a round's trial configurations. */
  SAMPLE,
  /** Training one (trial, shard) replicate: weight init, shuffling, dropout. */
  TRAIN,
  /** Assigning trials to shards. */
  SHARD_ASSIGNMENT,
  /** Splitting rows into shards, validation and test sets. */
  DATA_SPLIT,
  /** Generating synthetic data. */
  SYNTHETIC_DATA,
  /** Training the final model on all training data. */
  FINAL
}
