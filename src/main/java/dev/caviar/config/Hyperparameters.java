package dev.caviar.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The hyperparameters the trainer understands, with the legal values of each: the one table that
 * both {@code model} (fixed values) and {@code space} (searched ranges) are checked against.
 */
public final class Hyperparameters {
  private Hyperparameters() {}

  private enum Kind {
    POSITIVE,
    NON_NEGATIVE,
    UNIT_OPEN,
    UNIT_RIGHT_OPEN,
    INT_NON_NEGATIVE,
    INT_POSITIVE,
    BOOLEAN,
    NAME
  }

  private record Rule(Kind kind, List<String> names) {}

  private static final Map<String, Rule> RULES = new LinkedHashMap<>();

  static {
    RULES.put("learningRate", new Rule(Kind.POSITIVE, null));
    RULES.put("layers", new Rule(Kind.INT_NON_NEGATIVE, null));
    RULES.put("units", new Rule(Kind.INT_POSITIVE, null));
    RULES.put(
        "activation", new Rule(Kind.NAME, List.of("relu", "leakyRelu", "tanh", "sigmoid", "elu")));
    RULES.put("batchNorm", new Rule(Kind.BOOLEAN, null));
    RULES.put("bnMomentum", new Rule(Kind.UNIT_OPEN, null));
    RULES.put("dropout", new Rule(Kind.UNIT_RIGHT_OPEN, null));
    RULES.put("init", new Rule(Kind.NAME, List.of("he", "xavier")));
    RULES.put("optimizer", new Rule(Kind.NAME, List.of("sgd", "momentum", "rmsprop", "adam")));
    RULES.put("momentum", new Rule(Kind.UNIT_OPEN, null));
    RULES.put("rmspropBeta", new Rule(Kind.UNIT_OPEN, null));
    RULES.put("beta1", new Rule(Kind.UNIT_OPEN, null));
    RULES.put("beta2", new Rule(Kind.UNIT_OPEN, null));
    RULES.put("epsilon", new Rule(Kind.POSITIVE, null));
    RULES.put("decay", new Rule(Kind.NAME, List.of("none", "inverseTime", "exponential", "step")));
    RULES.put("decayRate", new Rule(Kind.NON_NEGATIVE, null));
    RULES.put("decayStep", new Rule(Kind.INT_POSITIVE, null));
    RULES.put("l2", new Rule(Kind.NON_NEGATIVE, null));
    RULES.put("batchSize", new Rule(Kind.INT_POSITIVE, null));
  }

  /** Optimizer-specific parameters and the optimizer value that uses each. */
  public static final Map<String, String> OPTIMIZER_OF =
      Map.of("momentum", "momentum", "rmspropBeta", "rmsprop", "beta1", "adam", "beta2", "adam");

  public static Set<String> names() {
    return RULES.keySet();
  }

  public static boolean isInteger(String name) {
    Kind k = RULES.get(name).kind();
    return k == Kind.INT_NON_NEGATIVE || k == Kind.INT_POSITIVE;
  }

  /**
   * The value in the type the trainer expects (Double, Integer, Boolean or String), or an error
   * {@code "<key>: must be ..., got v"}.
   */
  public static Object normalize(String key, String name, Object v) {
    Rule r = RULES.get(name);
    if (r == null) {
      throw new IllegalArgumentException(
          key + ": unknown hyperparameter '" + name + "'" + Keys.suggest(name, RULES.keySet()));
    }
    switch (r.kind()) {
      case BOOLEAN -> {
        if (v instanceof Boolean) {
          return v;
        }
        throw new IllegalArgumentException(key + ": must be true or false, got " + show(v));
      }
      case NAME -> {
        if (v instanceof String s && r.names().contains(s)) {
          return s;
        }
        throw new IllegalArgumentException(
            key + ": must be one of " + String.join(", ", r.names()) + ", got " + show(v));
      }
      case INT_NON_NEGATIVE, INT_POSITIVE -> {
        int min = r.kind() == Kind.INT_POSITIVE ? 1 : 0;
        if (v instanceof Number n
            && n.doubleValue() == Math.rint(n.doubleValue())
            && n.doubleValue() >= min
            && n.doubleValue() <= Integer.MAX_VALUE) {
          return n.intValue();
        }
        throw new IllegalArgumentException(
            key + ": must be an integer >= " + min + ", got " + show(v));
      }
      default -> {
        if (!(v instanceof Number n)) {
          throw new IllegalArgumentException(key + ": must be a number, got " + show(v));
        }
        double d = n.doubleValue();
        boolean ok =
            switch (r.kind()) {
              case POSITIVE -> d > 0 && Double.isFinite(d);
              case NON_NEGATIVE -> d >= 0 && Double.isFinite(d);
              case UNIT_OPEN -> d > 0 && d < 1;
              default -> d >= 0 && d < 1;
            };
        if (!ok) {
          String rule =
              switch (r.kind()) {
                case POSITIVE -> "> 0";
                case NON_NEGATIVE -> ">= 0";
                case UNIT_OPEN -> "in (0, 1)";
                default -> "in [0, 1)";
              };
          throw new IllegalArgumentException(key + ": must be " + rule + ", got " + show(v));
        }
        return d;
      }
    }
  }

  private static String show(Object v) {
    return v instanceof String ? "'" + v + "'" : String.valueOf(v);
  }
}
