package dev.caviar.spark;

import dev.caviar.config.Hyperparameters;
import dev.caviar.nn.Activation;
import dev.caviar.nn.DecaySpec;
import dev.caviar.nn.Init;
import dev.caviar.nn.NetworkSpec;
import dev.caviar.nn.OptimizerSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Maps a trial's hyperparameters (the names of {@code conf/README.md}, checked by {@link
 * Hyperparameters}) onto the engine's {@link NetworkSpec}. Pure Java: the Spark runner calls it
 * inside tasks, the job calls {@link #checkNames} before Spark starts so that a misspelled name
 * fails at once.
 */
public final class Networks {
  private Networks() {}

  /** Defaults of the reference network (784-256-256-10 in the benchmarks): 2 x 256, ReLU, Adam. */
  static final int DEFAULT_LAYERS = 2;

  static final int DEFAULT_UNITS = 256;

  /** Fails, naming the key, when {@code names} holds one that no trial can use. */
  public static void checkNames(String section, Iterable<String> names) {
    for (String n : names) {
      if (!Hyperparameters.names().contains(n)) {
        throw new IllegalArgumentException(
            section
                + "."
                + n
                + ": not a hyperparameter Caviar trains; known names are "
                + Hyperparameters.names());
      }
    }
  }

  /**
   * The network a trial trains.
   *
   * @param params the trial's values merged over the model section's fixed values
   */
  public static NetworkSpec toSpec(
      Map<String, Object> params, int inputs, int classes, int epochs, double divergenceFactor) {
    checkNames("trial", params.keySet());
    NetworkSpec.Builder b = NetworkSpec.builder(inputs, classes).epochs(epochs);
    if (divergenceFactor > 0) {
      b.divergenceFactor(divergenceFactor);
    }
    int layers = intValue(params, "layers", DEFAULT_LAYERS);
    int units = intValue(params, "units", DEFAULT_UNITS);
    List<Integer> hidden = new ArrayList<>(Collections.nCopies(layers, units));
    b.hidden(hidden);
    Activation activation = Activation.parse(stringValue(params, "activation", "relu"));
    b.activation(activation);
    b.init(
        params.containsKey("init")
            ? Init.parse(stringValue(params, "init", "he"))
            : Init.defaultFor(activation));
    b.batchNorm(boolValue(params, "batchNorm", true));
    b.bnMomentum(doubleValue(params, "bnMomentum", NetworkSpec.DEFAULT_BN_MOMENTUM));
    b.dropout(doubleValue(params, "dropout", 0));
    b.learningRate(doubleValue(params, "learningRate", NetworkSpec.DEFAULT_LEARNING_RATE));
    b.l2(doubleValue(params, "l2", 0));
    b.batchSize(intValue(params, "batchSize", NetworkSpec.DEFAULT_BATCH_SIZE));
    OptimizerSpec.Kind kind = OptimizerSpec.Kind.parse(stringValue(params, "optimizer", "adam"));
    double epsilon = doubleValue(params, "epsilon", OptimizerSpec.DEFAULT_EPSILON);
    b.optimizer(
        switch (kind) {
          case SGD -> OptimizerSpec.sgd();
          case MOMENTUM ->
              OptimizerSpec.momentum(doubleValue(params, "momentum", OptimizerSpec.DEFAULT_BETA));
          case RMSPROP ->
              OptimizerSpec.rmsprop(
                  doubleValue(params, "rmspropBeta", OptimizerSpec.DEFAULT_BETA), epsilon);
          case ADAM ->
              OptimizerSpec.adam(
                  doubleValue(params, "beta1", OptimizerSpec.DEFAULT_BETA1),
                  doubleValue(params, "beta2", OptimizerSpec.DEFAULT_BETA2),
                  epsilon);
        });
    DecaySpec.Kind decay = DecaySpec.Kind.parse(stringValue(params, "decay", "none"));
    double rate = doubleValue(params, "decayRate", 0);
    b.decay(
        switch (decay) {
          case NONE -> DecaySpec.NONE;
          case INVERSE_TIME -> DecaySpec.inverseTime(rate);
          case EXPONENTIAL -> DecaySpec.exponential(rate);
          case STEP -> DecaySpec.step(rate, intValue(params, "decayStep", 1));
        });
    return b.build();
  }

  private static double doubleValue(Map<String, Object> p, String key, double fallback) {
    Object v = p.get(key);
    if (v == null) {
      return fallback;
    }
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    throw new IllegalArgumentException(key + ": must be a number, got '" + v + "'");
  }

  private static int intValue(Map<String, Object> p, String key, int fallback) {
    Object v = p.get(key);
    if (v == null) {
      return fallback;
    }
    if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
      return Math.toIntExact(n.longValue());
    }
    throw new IllegalArgumentException(key + ": must be a whole number, got '" + v + "'");
  }

  private static String stringValue(Map<String, Object> p, String key, String fallback) {
    Object v = p.get(key);
    return v == null ? fallback : v.toString();
  }

  private static boolean boolValue(Map<String, Object> p, String key, boolean fallback) {
    Object v = p.get(key);
    if (v == null) {
      return fallback;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    throw new IllegalArgumentException(key + ": must be true or false, got '" + v + "'");
  }
}
