package dev.caviar.nn;

import dev.caviar.space.ConfigName;
import java.io.Serializable;

/**
 * Mini-batch gradient descent variant, with the course's update rules.
 *
 * <ul>
 *   <li>SGD: {@code w -= lr * g}
 *   <li>MOMENTUM: {@code v = beta*v + (1-beta)*g; w -= lr * v}
 *   <li>RMSPROP: {@code s = beta*s + (1-beta)*g^2; w -= lr * g / (sqrt(s) + epsilon)}
 *   <li>ADAM: {@code v = beta1*v + (1-beta1)*g; s = beta2*s + (1-beta2)*g^2; w -= lr *
 *       (v/(1-beta1^t)) / (sqrt(s/(1-beta2^t)) + epsilon)}, t counting updates from 1
 * </ul>
 *
 * @param beta the averaging constant of MOMENTUM and RMSPROP
 * @param beta1 Adam's first-moment constant
 * @param beta2 Adam's second-moment constant
 * @param epsilon added to the root of the second moment (RMSPROP, ADAM)
 */
public record OptimizerSpec(Kind kind, double beta, double beta1, double beta2, double epsilon)
    implements Serializable {

  /** The update rule. */
  public enum Kind implements ConfigName {
    SGD,
    MOMENTUM,
    RMSPROP,
    ADAM;

    /** Parses {@code sgd | momentum | rmsprop | adam}. */
    public static Kind parse(String text) {
      return ConfigName.parse(Kind.class, "optimizer", text);
    }
  }

  public static final double DEFAULT_BETA = 0.9;
  public static final double DEFAULT_BETA1 = 0.9;
  public static final double DEFAULT_BETA2 = 0.999;
  public static final double DEFAULT_EPSILON = 1e-8;

  public OptimizerSpec {
    if (kind == null) {
      throw new IllegalArgumentException("optimizer.kind: must not be null");
    }
    checkBeta("optimizer.beta", beta);
    checkBeta("optimizer.beta1", beta1);
    checkBeta("optimizer.beta2", beta2);
    if (!(epsilon > 0 && epsilon < 1)) {
      throw new IllegalArgumentException("optimizer.epsilon: must be in (0, 1), got " + epsilon);
    }
  }

  private static void checkBeta(String key, double value) {
    if (!(value >= 0 && value < 1)) {
      throw new IllegalArgumentException(key + ": must be in [0, 1), got " + value);
    }
  }

  public static OptimizerSpec of(Kind kind) {
    return new OptimizerSpec(kind, DEFAULT_BETA, DEFAULT_BETA1, DEFAULT_BETA2, DEFAULT_EPSILON);
  }

  public static OptimizerSpec sgd() {
    return of(Kind.SGD);
  }

  public static OptimizerSpec momentum(double beta) {
    return new OptimizerSpec(Kind.MOMENTUM, beta, DEFAULT_BETA1, DEFAULT_BETA2, DEFAULT_EPSILON);
  }

  public static OptimizerSpec rmsprop(double beta, double epsilon) {
    return new OptimizerSpec(Kind.RMSPROP, beta, DEFAULT_BETA1, DEFAULT_BETA2, epsilon);
  }

  public static OptimizerSpec adam(double beta1, double beta2, double epsilon) {
    return new OptimizerSpec(Kind.ADAM, DEFAULT_BETA, beta1, beta2, epsilon);
  }

  public static OptimizerSpec adam() {
    return of(Kind.ADAM);
  }
}
