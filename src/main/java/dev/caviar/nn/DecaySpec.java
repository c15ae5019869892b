package dev.caviar.nn;

import dev.caviar.space.ConfigName;
import java.io.Serializable;

/**
 * Learning-rate decay per epoch (epochs counted from 0), the course's formulas.
 *
 * <ul>
 *   <li>NONE: {@code alpha0}
 *   <li>INVERSE_TIME: {@code alpha0 / (1 + rate * epoch)}
 *   <li>EXPONENTIAL: {@code alpha0 * rate^epoch}
 *   <li>STEP: {@code alpha0 * rate^floor(epoch / stepEpochs)}
 * </ul>
 */
public record DecaySpec(Kind kind, double rate, int stepEpochs) implements Serializable {

  /** The decay schedule. */
  public enum Kind implements ConfigName {
    NONE,
    INVERSE_TIME,
    EXPONENTIAL,
    STEP;

    /** Parses {@code none | inverseTime | exponential | step}. */
    public static Kind parse(String text) {
      return ConfigName.parse(Kind.class, "decay", text);
    }
  }

  public static final DecaySpec NONE = new DecaySpec(Kind.NONE, 0, 1);

  public DecaySpec {
    if (kind == null) {
      throw new IllegalArgumentException("decay.kind: must not be null");
    }
    switch (kind) {
      case NONE -> {}
      case INVERSE_TIME -> {
        if (!(rate >= 0 && rate < Double.POSITIVE_INFINITY)) {
          throw new IllegalArgumentException(
              "decay.rate: must be >= 0 and finite for inverseTime, got " + rate);
        }
      }
      case EXPONENTIAL, STEP -> {
        if (!(rate > 0 && rate <= 1)) {
          throw new IllegalArgumentException(
              "decay.rate: must be in (0, 1] for " + kind.configName() + ", got " + rate);
        }
      }
    }
    if (stepEpochs < 1) {
      throw new IllegalArgumentException("decay.stepEpochs: must be >= 1, got " + stepEpochs);
    }
  }

  public static DecaySpec inverseTime(double rate) {
    return new DecaySpec(Kind.INVERSE_TIME, rate, 1);
  }

  public static DecaySpec exponential(double rate) {
    return new DecaySpec(Kind.EXPONENTIAL, rate, 1);
  }

  public static DecaySpec step(double rate, int stepEpochs) {
    return new DecaySpec(Kind.STEP, rate, stepEpochs);
  }

  /** The learning rate of {@code epoch} (from 0) given the initial rate {@code alpha0}. */
  public double learningRate(double alpha0, int epoch) {
    return switch (kind) {
      case NONE -> alpha0;
      case INVERSE_TIME -> alpha0 / (1 + rate * epoch);
      case EXPONENTIAL -> alpha0 * Math.pow(rate, epoch);
      case STEP -> alpha0 * Math.pow(rate, Math.floorDiv(epoch, stepEpochs));
    };
  }
}
