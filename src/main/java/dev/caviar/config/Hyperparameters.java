package dev.caviar.config;

import dev.caviar.nn.Activation;
import dev.caviar.nn.DecaySpec;
import dev.caviar.nn.Init;
import dev.caviar.nn.NetworkSpec;
import dev.caviar.nn.OptimizerSpec;
import dev.caviar.space.ConfigName;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The hyperparameter catalogue: each model hyperparameter once, with its type, rule, default, the
 * setting that makes the trainer use it, and (in {@link #toSpec}) how it reaches {@link
 * NetworkSpec}. {@code model} values, {@code space} ranges, the cross-checks and the Spark runner
 * all read it; a new hyperparameter is one row of {@link #ALL} and one line of {@link #toSpec}.
 * Defaults are the engine's own constants where it has them, so the two cannot drift.
 */
public final class Hyperparameters {
  private Hyperparameters() {}

  /** The type and legal values of a hyperparameter. */
  public enum Rule {
    POSITIVE("> 0"),
    NON_NEGATIVE(">= 0"),
    UNIT_OPEN("in (0, 1)"),
    UNIT_RIGHT_OPEN("in [0, 1)"),
    INT_NON_NEGATIVE("an integer >= 0"),
    INT_POSITIVE("an integer >= 1"),
    BOOLEAN("true or false"),
    NAME("one of the names");

    private final String text;

    Rule(String text) {
      this.text = text;
    }

    boolean integer() {
      return this == INT_NON_NEGATIVE || this == INT_POSITIVE;
    }
  }

  /**
   * One hyperparameter.
   *
   * @param name its config name ({@code model.<name>}, {@code space.<name>})
   * @param rule its type and legal values
   * @param names the legal names, for {@link Rule#NAME}
   * @param defaultValue the value a trial takes when neither {@code model} nor {@code space} sets
   *     it; null where it depends on another value (init follows the activation)
   * @param parent the hyperparameter whose value decides whether the trainer uses this one, or null
   * @param usedWhen the parent's values under which it is used
   */
  public record Hyperparameter(
      String name,
      Rule rule,
      List<String> names,
      Object defaultValue,
      String parent,
      List<String> usedWhen) {
    public Hyperparameter {
      if (name == null || rule == null || (rule == Rule.NAME) == names.isEmpty()) {
        throw new IllegalArgumentException(
            "hyperparameter: needs a name, a rule and names exactly for NAME, got " + name);
      }
      names = List.copyOf(names);
      usedWhen = List.copyOf(usedWhen);
      if (defaultValue != null) {
        defaultValue = check(rule, names, "default of " + name, defaultValue);
      }
    }

    public boolean integer() {
      return rule.integer();
    }

    /**
     * The value in the type the trainer expects (Double, Integer, Boolean or String), or an error
     * {@code "<key>: must be ..., got v"}.
     */
    public Object normalize(String key, Object v) {
      return check(rule, names, key, v);
    }
  }

  private static Object check(Rule rule, List<String> names, String key, Object v) {
    switch (rule) {
      case BOOLEAN -> {
        if (v instanceof Boolean) {
          return v;
        }
      }
      case NAME -> {
        if (v instanceof String s && names.contains(s)) {
          return s;
        }
        throw new IllegalArgumentException(
            key + ": must be one of " + String.join(", ", names) + ", got " + show(v));
      }
      case INT_NON_NEGATIVE, INT_POSITIVE -> {
        int min = rule == Rule.INT_POSITIVE ? 1 : 0;
        if (v instanceof Number n
            && n.doubleValue() == Math.rint(n.doubleValue())
            && n.doubleValue() >= min
            && n.doubleValue() <= Integer.MAX_VALUE) {
          return n.intValue();
        }
      }
      default -> {
        if (!(v instanceof Number n)) {
          throw new IllegalArgumentException(key + ": must be a number, got " + show(v));
        }
        double d = n.doubleValue();
        boolean ok =
            switch (rule) {
              case POSITIVE -> d > 0 && Double.isFinite(d);
              case NON_NEGATIVE -> d >= 0 && Double.isFinite(d);
              case UNIT_OPEN -> d > 0 && d < 1;
              default -> d >= 0 && d < 1;
            };
        if (ok) {
          return d;
        }
      }
    }
    throw new IllegalArgumentException(key + ": must be " + rule.text + ", got " + show(v));
  }

  private static Hyperparameter of(String name, Rule rule, Object dflt) {
    return new Hyperparameter(name, rule, List.of(), dflt, null, List.of());
  }

  private static <E extends Enum<E> & ConfigName> Hyperparameter named(
      String name, Class<E> type, E dflt) {
    return new Hyperparameter(
        name,
        Rule.NAME,
        ConfigName.names(type),
        dflt == null ? null : dflt.configName(),
        null,
        List.of());
  }

  private static Hyperparameter usedBy(
      String name, Rule rule, Object dflt, String parent, ConfigName... when) {
    List<String> values = new ArrayList<>();
    for (ConfigName c : when) {
      values.add(c.configName());
    }
    return new Hyperparameter(name, rule, List.of(), dflt, parent, values);
  }

  /** Defaults of the reference network (784-256-256-10 in the benchmarks): 2 x 256, ReLU, Adam. */
  private static final int DEFAULT_LAYERS = 2;

  private static final int DEFAULT_UNITS = 256;

  /** Every hyperparameter, in the order {@code conf/README.md} lists them. */
  public static final List<Hyperparameter> ALL =
      List.of(
          of("learningRate", Rule.POSITIVE, NetworkSpec.DEFAULT_LEARNING_RATE),
          of("layers", Rule.INT_NON_NEGATIVE, DEFAULT_LAYERS),
          of("units", Rule.INT_POSITIVE, DEFAULT_UNITS),
          named("activation", Activation.class, Activation.RELU),
          of("batchNorm", Rule.BOOLEAN, true),
          of("bnMomentum", Rule.UNIT_OPEN, NetworkSpec.DEFAULT_BN_MOMENTUM),
          of("bnEpsilon", Rule.UNIT_OPEN, NetworkSpec.DEFAULT_BN_EPSILON),
          of("dropout", Rule.UNIT_RIGHT_OPEN, 0.0),
          named("init", Init.class, null),
          named("optimizer", OptimizerSpec.Kind.class, OptimizerSpec.Kind.ADAM),
          usedBy(
              "momentum",
              Rule.UNIT_OPEN,
              OptimizerSpec.DEFAULT_BETA,
              "optimizer",
              OptimizerSpec.Kind.MOMENTUM),
          usedBy(
              "rmspropBeta",
              Rule.UNIT_OPEN,
              OptimizerSpec.DEFAULT_BETA,
              "optimizer",
              OptimizerSpec.Kind.RMSPROP),
          usedBy(
              "beta1",
              Rule.UNIT_OPEN,
              OptimizerSpec.DEFAULT_BETA1,
              "optimizer",
              OptimizerSpec.Kind.ADAM),
          usedBy(
              "beta2",
              Rule.UNIT_OPEN,
              OptimizerSpec.DEFAULT_BETA2,
              "optimizer",
              OptimizerSpec.Kind.ADAM),
          // The engine rejects epsilon >= 1: the rule says so here, before Spark starts.
          usedBy(
              "epsilon",
              Rule.UNIT_OPEN,
              OptimizerSpec.DEFAULT_EPSILON,
              "optimizer",
              OptimizerSpec.Kind.RMSPROP,
              OptimizerSpec.Kind.ADAM),
          named("decay", DecaySpec.Kind.class, DecaySpec.Kind.NONE),
          usedBy(
              "decayRate",
              Rule.NON_NEGATIVE,
              0.0,
              "decay",
              DecaySpec.Kind.INVERSE_TIME,
              DecaySpec.Kind.EXPONENTIAL,
              DecaySpec.Kind.STEP),
          usedBy("decayStep", Rule.INT_POSITIVE, 1, "decay", DecaySpec.Kind.STEP),
          of("l2", Rule.NON_NEGATIVE, 0.0),
          of("batchSize", Rule.INT_POSITIVE, NetworkSpec.DEFAULT_BATCH_SIZE));

  private static final Map<String, Hyperparameter> BY_NAME = new LinkedHashMap<>();

  static {
    for (Hyperparameter h : ALL) {
      BY_NAME.put(h.name(), h);
    }
  }

  public static Set<String> names() {
    return Collections.unmodifiableSet(BY_NAME.keySet());
  }

  /** The hyperparameter called {@code name}, or an error naming {@code key} and the nearest. */
  public static Hyperparameter get(String key, String name) {
    Hyperparameter h = BY_NAME.get(name);
    if (h == null) {
      throw new IllegalArgumentException(
          key + ": unknown hyperparameter '" + name + "'" + Keys.suggest(name, names()));
    }
    return h;
  }

  public static boolean isInteger(String name) {
    return get(name, name).integer();
  }

  /** {@link Hyperparameter#normalize} of the hyperparameter {@code name}. */
  public static Object normalize(String key, String name, Object v) {
    return get(key, name).normalize(key, v);
  }

  /** Fails, naming the key, when {@code names} holds one that no trial can use. */
  public static void checkNames(String section, Iterable<String> names) {
    for (String n : names) {
      if (!BY_NAME.containsKey(n)) {
        throw new IllegalArgumentException(
            section + "." + n + ": not a hyperparameter Caviar trains; known names are " + names());
      }
    }
  }

  /**
   * The network a trial trains: the catalogue's defaults fill what {@code params} leaves out.
   *
   * @param params the trial's values merged over the model section's fixed values
   * @param divergenceFactor the study's divergence rule; 0 keeps the engine's default
   */
  public static NetworkSpec toSpec(
      Map<String, Object> params, int inputs, int classes, int epochs, double divergenceFactor) {
    checkNames("trial", params.keySet());
    Values v = new Values(params);
    NetworkSpec.Builder b = NetworkSpec.builder(inputs, classes).epochs(epochs);
    if (divergenceFactor > 0) {
      b.divergenceFactor(divergenceFactor);
    }
    b.hidden(new ArrayList<>(Collections.nCopies(v.integer("layers"), v.integer("units"))));
    Activation activation = Activation.parse(v.string("activation"));
    b.activation(activation);
    b.init(params.containsKey("init") ? Init.parse(v.string("init")) : Init.defaultFor(activation));
    b.batchNorm(v.bool("batchNorm"));
    b.bnMomentum(v.real("bnMomentum"));
    b.bnEpsilon(v.real("bnEpsilon"));
    b.dropout(v.real("dropout"));
    b.learningRate(v.real("learningRate"));
    b.l2(v.real("l2"));
    b.batchSize(v.integer("batchSize"));
    double epsilon = v.real("epsilon");
    b.optimizer(
        switch (OptimizerSpec.Kind.parse(v.string("optimizer"))) {
          case SGD -> OptimizerSpec.sgd();
          case MOMENTUM -> OptimizerSpec.momentum(v.real("momentum"));
          case RMSPROP -> OptimizerSpec.rmsprop(v.real("rmspropBeta"), epsilon);
          case ADAM -> OptimizerSpec.adam(v.real("beta1"), v.real("beta2"), epsilon);
        });
    double rate = v.real("decayRate");
    b.decay(
        switch (DecaySpec.Kind.parse(v.string("decay"))) {
          case NONE -> DecaySpec.NONE;
          case INVERSE_TIME -> DecaySpec.inverseTime(rate);
          case EXPONENTIAL -> DecaySpec.exponential(rate);
          case STEP -> DecaySpec.step(rate, v.integer("decayStep"));
        });
    return b.build();
  }

  /** A trial's values read in their catalogue type, the catalogue's default where absent. */
  private record Values(Map<String, Object> params) {
    Object get(String name) {
      Object v = params.get(name);
      return v == null ? BY_NAME.get(name).defaultValue() : v;
    }

    double real(String name) {
      if (get(name) instanceof Number n) {
        return n.doubleValue();
      }
      throw new IllegalArgumentException(name + ": must be a number, got '" + get(name) + "'");
    }

    int integer(String name) {
      if (get(name) instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
        return Math.toIntExact(n.longValue());
      }
      throw new IllegalArgumentException(
          name + ": must be a whole number, got '" + get(name) + "'");
    }

    String string(String name) {
      return get(name).toString();
    }

    boolean bool(String name) {
      if (get(name) instanceof Boolean b) {
        return b;
      }
      throw new IllegalArgumentException(name + ": must be true or false, got '" + get(name) + "'");
    }
  }

  private static String show(Object v) {
    return v instanceof String ? "'" + v + "'" : String.valueOf(v);
  }
}
