package dev.caviar.nn;

import dev.caviar.space.ConfigName;

/** Hidden-layer nonlinearity, applied after batch norm. */
public enum Activation implements ConfigName {
  RELU,
  /** Slope {@value #LEAKY_SLOPE} for negative inputs (the usual choice; not a hyperparameter). */
  LEAKY_RELU,
  TANH,
  SIGMOID,
  /** Exponential linear unit with alpha = 1. */
  ELU;

  static final float LEAKY_SLOPE = 0.01f;

  /** Parses {@code relu | leakyRelu | tanh | sigmoid | elu}. */
  public static Activation parse(String text) {
    return ConfigName.parse(Activation.class, "activation", text);
  }
}
