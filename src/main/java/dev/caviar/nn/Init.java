package dev.caviar.nn;

import dev.caviar.space.ConfigName;

/** Weight initialisation: zero-mean normal with the variance that keeps activations in range. */
public enum Init implements ConfigName {
  /** Variance 2 / fan-in (He et al. 2015): for the ReLU family, which zeroes half its input. */
  HE,
  /** Variance 1 / fan-in (the course's Xavier): for tanh and sigmoid. */
  XAVIER;

  /** Parses {@code he | xavier}. */
  public static Init parse(String text) {
    return ConfigName.parse(Init.class, "init", text);
  }

  /** He for the ReLU family, Xavier for the saturating activations. */
  public static Init defaultFor(Activation activation) {
    return switch (activation) {
      case RELU, LEAKY_RELU, ELU -> HE;
      case TANH, SIGMOID -> XAVIER;
    };
  }

  double variance(int fanIn) {
    return (this == HE ? 2.0 : 1.0) / fanIn;
  }
}
