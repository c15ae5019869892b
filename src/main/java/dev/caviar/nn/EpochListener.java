package dev.caviar.nn;

/** Called after every epoch; returning false stops training early (status stays OK). */
@FunctionalInterface
public interface EpochListener {
  boolean onEpoch(EpochStats stats);

  EpochListener NONE = stats -> true;
}
