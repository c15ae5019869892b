package dev.caviar.space;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/**
 * The scale of one hyperparameter: its legal values and the transformed coordinate in which draws
 * are uniform.
 *
 * <p>{@link #fromUnit} maps a unit coordinate {@code u} in [0, 1) to a value, so that {@code u ~
 * U[0, 1)} gives a value uniform in the transformed coordinate; {@link #toUnit} is its inverse (for
 * discrete domains: the centre of the value's cell). Constructors reject bad bounds with a message
 * that starts with the offending field ({@code low: must be > 0 on a log scale, got -0.001}); the
 * config reader prefixes the key.
 *
 * <p>Over 400 lines on purpose: one sealed interface and its eight small records, whose nested
 * names ({@code Domain.Log}, {@code Domain.Pow2}) are the API every layer uses; a file per record
 * would rename them everywhere for no gain in reading. The names, codec and bounds of the scales
 * live in {@link Scales}.
 */
public sealed interface Domain extends Serializable
    permits Domain.Numeric, Domain.Choice, Domain.Fixed {

  /** The config name of the scale: linear, log, oneMinusLog, int, intLog, pow2, choice, fixed. */
  String scale();

  /** Maps a unit coordinate in [0, 1) to a legal value. */
  Object fromUnit(double u);

  /** Maps a legal value to its unit coordinate; values outside the domain map outside [0, 1]. */
  double toUnit(Object value);

  /** Whether a value is legal here. */
  boolean contains(Object value);

  /** A short human-readable form, e.g. {@code log[0.0001, 0.01]}. */
  String describe();

  /** A domain with numeric bounds and a monotone increasing transformed coordinate. */
  sealed interface Numeric extends Domain
      permits Linear, Log, OneMinusLog, IntUniform, IntLog, Pow2 {
    /** The lowest legal value. */
    double lowBound();

    /** The highest legal value. */
    double highBound();

    /** The transformed coordinate of a value (value, log10, -log10(1-value), exponent). */
    double coordinate(double value);

    /** Inverse of {@link #coordinate}, without rounding. */
    double value(double coordinate);

    /** The coordinate interval sampled: for integers it includes half a cell on each side. */
    default double lowCoordinate() {
      return coordinate(lowBound());
    }

    default double highCoordinate() {
      return coordinate(highBound());
    }

    /** The widest coordinate interval this scale allows at all (e.g. log values must be > 0). */
    double[] naturalLimits();

    /**
     * The same scale with new bounds; integer scales round outward (pow2: to the enclosing powers
     * of two) so that every legal value inside the interval stays legal.
     */
    Numeric withBounds(double low, double high);

    /** {@link #withBounds} with the bounds given as coordinates. */
    default Numeric withCoordinates(double lowCoordinate, double highCoordinate) {
      return withBounds(value(lowCoordinate), value(highCoordinate));
    }

    /** Reads a trial value (Double or Integer) as a double. */
    static double number(Object value) {
      if (value instanceof Number n) {
        return n.doubleValue();
      }
      throw new IllegalArgumentException("expected a number, got " + value);
    }

    @Override
    default double toUnit(Object value) {
      double lo = lowCoordinate();
      double hi = highCoordinate();
      return (coordinate(number(value)) - lo) / (hi - lo);
    }

    @Override
    default String describe() {
      return scale() + "[" + fmt(lowBound()) + ", " + fmt(highBound()) + "]";
    }
  }

  /** Uniform float in [low, high]. */
  record Linear(double low, double high) implements Numeric {
    public Linear {
      finite("low", low);
      finite("high", high);
      if (!(high > low)) {
        throw new IllegalArgumentException("high: must be > low (" + low + "), got " + high);
      }
    }

    @Override
    public String scale() {
      return "linear";
    }

    @Override
    public double lowBound() {
      return low;
    }

    @Override
    public double highBound() {
      return high;
    }

    @Override
    public Object fromUnit(double u) {
      return clamp(low + unit(u) * (high - low), low, high);
    }

    @Override
    public boolean contains(Object v) {
      return v instanceof Number n && n.doubleValue() >= low && n.doubleValue() <= high;
    }

    @Override
    public double coordinate(double value) {
      return value;
    }

    @Override
    public double value(double coordinate) {
      return coordinate;
    }

    @Override
    public double[] naturalLimits() {
      return new double[] {Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY};
    }

    @Override
    public Numeric withBounds(double lo, double hi) {
      return new Linear(lo, hi);
    }
  }

  /** Log-uniform float: {@code r ~ U[log10 low, log10 high]}, value {@code 10^r}. */
  record Log(double low, double high) implements Numeric {
    public Log {
      finite("low", low);
      finite("high", high);
      if (!(low > 0)) {
        throw new IllegalArgumentException("low: must be > 0 on a log scale, got " + low);
      }
      if (!(high > low)) {
        throw new IllegalArgumentException("high: must be > low (" + low + "), got " + high);
      }
    }

    @Override
    public String scale() {
      return "log";
    }

    @Override
    public double lowBound() {
      return low;
    }

    @Override
    public double highBound() {
      return high;
    }

    @Override
    public Object fromUnit(double u) {
      double lo = Math.log10(low);
      return clamp(Math.pow(10, lo + unit(u) * (Math.log10(high) - lo)), low, high);
    }

    @Override
    public boolean contains(Object v) {
      return v instanceof Number n && n.doubleValue() >= low && n.doubleValue() <= high;
    }

    @Override
    public double coordinate(double value) {
      return Math.log10(value);
    }

    @Override
    public double value(double coordinate) {
      return Math.pow(10, coordinate);
    }

    @Override
    public double[] naturalLimits() {
      return new double[] {-300, 300};
    }

    @Override
    public Numeric withBounds(double lo, double hi) {
      return new Log(lo, hi);
    }
  }

  /**
   * For exponentially weighted averages: {@code 1 - beta ~ logU[1 - high, 1 - low]}. On [0.9,
   * 0.999] half the draws land in [0.99, 0.999], where beta is sensitive. The coordinate is {@code
   * -log10(1 - beta)}, increasing with beta.
   */
  record OneMinusLog(double low, double high) implements Numeric {
    public OneMinusLog {
      finite("low", low);
      finite("high", high);
      if (!(low > 0 && low < 1)) {
        throw new IllegalArgumentException(
            "low: must be in (0, 1) on a oneMinusLog scale, got " + low);
      }
      if (!(high > 0 && high < 1)) {
        throw new IllegalArgumentException(
            "high: must be in (0, 1) on a oneMinusLog scale, got " + high);
      }
      if (!(high > low)) {
        throw new IllegalArgumentException("high: must be > low (" + low + "), got " + high);
      }
    }

    @Override
    public String scale() {
      return "oneMinusLog";
    }

    @Override
    public double lowBound() {
      return low;
    }

    @Override
    public double highBound() {
      return high;
    }

    @Override
    public Object fromUnit(double u) {
      double lo = coordinate(low);
      return clamp(value(lo + unit(u) * (coordinate(high) - lo)), low, high);
    }

    @Override
    public boolean contains(Object v) {
      return v instanceof Number n && n.doubleValue() >= low && n.doubleValue() <= high;
    }

    @Override
    public double coordinate(double value) {
      return -Math.log10(1 - value);
    }

    @Override
    public double value(double coordinate) {
      return 1 - Math.pow(10, -coordinate);
    }

    @Override
    public double[] naturalLimits() {
      // beta = 1 - 1e-12 is as close to 1 as any optimizer can use meaningfully.
      return new double[] {1e-12, 12};
    }

    @Override
    public Numeric withBounds(double lo, double hi) {
      return new OneMinusLog(lo, hi);
    }
  }

  /** Uniform integer in [low, high] (both included). */
  record IntUniform(int low, int high) implements Numeric {
    public IntUniform {
      if (!(high >= low)) {
        throw new IllegalArgumentException("high: must be >= low (" + low + "), got " + high);
      }
    }

    @Override
    public String scale() {
      return "int";
    }

    @Override
    public double lowBound() {
      return low;
    }

    @Override
    public double highBound() {
      return high;
    }

    @Override
    public Object fromUnit(double u) {
      long v = low + (long) Math.floor(unit(u) * ((long) high - low + 1));
      return (int) Math.min(high, Math.max(low, v));
    }

    @Override
    public boolean contains(Object v) {
      return v instanceof Integer i && i >= low && i <= high;
    }

    @Override
    public double coordinate(double value) {
      return value;
    }

    @Override
    public double value(double coordinate) {
      return coordinate;
    }

    @Override
    public double lowCoordinate() {
      return low - 0.5;
    }

    @Override
    public double highCoordinate() {
      return high + 0.5;
    }

    @Override
    public double[] naturalLimits() {
      return new double[] {Integer.MIN_VALUE / 2.0, Integer.MAX_VALUE / 2.0};
    }

    @Override
    public Numeric withBounds(double lo, double hi) {
      int l = (int) Math.floor(lo + 1e-9);
      int h = (int) Math.ceil(hi - 1e-9);
      return new IntUniform(l, Math.max(l, h));
    }
  }

  /**
   * Log-uniform integer (hidden units): {@code r ~ U[log10(low - 0.5), log10(high + 0.5)]}, value
   * {@code round(10^r)}, so each integer gets the log-width of its own cell.
   */
  record IntLog(int low, int high) implements Numeric {
    public IntLog {
      if (!(low >= 1)) {
        throw new IllegalArgumentException("low: must be >= 1 on an intLog scale, got " + low);
      }
      if (!(high >= low)) {
        throw new IllegalArgumentException("high: must be >= low (" + low + "), got " + high);
      }
    }

    @Override
    public String scale() {
      return "intLog";
    }

    @Override
    public double lowBound() {
      return low;
    }

    @Override
    public double highBound() {
      return high;
    }

    @Override
    public Object fromUnit(double u) {
      double lo = lowCoordinate();
      long v = Math.round(value(lo + unit(u) * (highCoordinate() - lo)));
      return (int) Math.min(high, Math.max(low, v));
    }

    @Override
    public boolean contains(Object v) {
      return v instanceof Integer i && i >= low && i <= high;
    }

    @Override
    public double coordinate(double value) {
      return Math.log10(value);
    }

    @Override
    public double value(double coordinate) {
      return Math.pow(10, coordinate);
    }

    @Override
    public double lowCoordinate() {
      return Math.log10(low - 0.5);
    }

    @Override
    public double highCoordinate() {
      return Math.log10(high + 0.5);
    }

    @Override
    public double[] naturalLimits() {
      return new double[] {0, 9};
    }

    @Override
    public Numeric withBounds(double lo, double hi) {
      int l = (int) Math.max(1, Math.floor(lo + 1e-9));
      int h = (int) Math.min(Integer.MAX_VALUE, Math.ceil(hi - 1e-9));
      return new IntLog(l, Math.max(l, h));
    }
  }

  /** A power of two (mini-batch sizes), uniform in the exponent. */
  record Pow2(int low, int high) implements Numeric {
    public Pow2 {
      if (!(low >= 1 && Integer.bitCount(low) == 1)) {
        throw new IllegalArgumentException("low: must be a power of two >= 1, got " + low);
      }
      if (!(high >= 1 && Integer.bitCount(high) == 1)) {
        throw new IllegalArgumentException("high: must be a power of two >= 1, got " + high);
      }
      if (!(high >= low)) {
        throw new IllegalArgumentException("high: must be >= low (" + low + "), got " + high);
      }
    }

    @Override
    public String scale() {
      return "pow2";
    }

    @Override
    public double lowBound() {
      return low;
    }

    @Override
    public double highBound() {
      return high;
    }

    private static int exponent(int v) {
      return Integer.numberOfTrailingZeros(v);
    }

    @Override
    public Object fromUnit(double u) {
      int e0 = exponent(low);
      int n = exponent(high) - e0 + 1;
      int e = e0 + Math.min(n - 1, (int) Math.floor(unit(u) * n));
      return 1 << e;
    }

    @Override
    public boolean contains(Object v) {
      return v instanceof Integer i && i >= low && i <= high && Integer.bitCount(i) == 1;
    }

    @Override
    public double coordinate(double value) {
      return Math.log(value) / Math.log(2);
    }

    @Override
    public double value(double coordinate) {
      return Math.pow(2, coordinate);
    }

    @Override
    public double lowCoordinate() {
      return exponent(low) - 0.5;
    }

    @Override
    public double highCoordinate() {
      return exponent(high) + 0.5;
    }

    @Override
    public double[] naturalLimits() {
      return new double[] {0, 30};
    }

    @Override
    public Numeric withBounds(double lo, double hi) {
      int l = (int) Math.max(0, Math.floor(coordinate(lo) + 1e-9));
      int h = (int) Math.min(30, Math.ceil(coordinate(hi) - 1e-9));
      return new Pow2(1 << l, 1 << Math.max(l, h));
    }
  }

  /** One of a list of values (strings, numbers or booleans), each equally likely. */
  record Choice(List<Object> values) implements Domain {
    public Choice {
      if (values == null || values.isEmpty()) {
        throw new IllegalArgumentException("values: must list at least one value, got []");
      }
      for (Object v : values) {
        if (!legalValue(v)) {
          throw new IllegalArgumentException(
              "values: must be strings, numbers or booleans, got " + v);
        }
      }
      if (new HashSet<>(values).size() != values.size()) {
        throw new IllegalArgumentException("values: must be distinct, got " + values);
      }
      values = List.copyOf(values);
    }

    @Override
    public String scale() {
      return "choice";
    }

    @Override
    public Object fromUnit(double u) {
      return values.get(Math.min(values.size() - 1, (int) Math.floor(unit(u) * values.size())));
    }

    @Override
    public double toUnit(Object value) {
      int i = values.indexOf(value);
      return i < 0 ? Double.NaN : (i + 0.5) / values.size();
    }

    @Override
    public boolean contains(Object value) {
      return values.contains(value);
    }

    @Override
    public String describe() {
      return "choice" + values;
    }

    /** The same scale restricted to a subset, kept in this domain's order. */
    public Choice retain(java.util.Collection<?> keep) {
      List<Object> kept = new ArrayList<>();
      for (Object v : values) {
        if (keep.contains(v)) {
          kept.add(v);
        }
      }
      return new Choice(kept);
    }
  }

  /** A single value; present in every trial where the parameter is active. */
  record Fixed(Object value) implements Domain {
    public Fixed {
      if (!legalValue(value)) {
        throw new IllegalArgumentException(
            "value: must be a string, number or boolean, got " + value);
      }
    }

    @Override
    public String scale() {
      return "fixed";
    }

    @Override
    public Object fromUnit(double u) {
      return value;
    }

    @Override
    public double toUnit(Object v) {
      return value.equals(v) ? 0.5 : Double.NaN;
    }

    @Override
    public boolean contains(Object v) {
      return value.equals(v);
    }

    @Override
    public String describe() {
      return "fixed(" + value + ")";
    }
  }

  /** The value types a trial may carry: Double, Integer, String, Boolean. */
  static boolean legalValue(Object v) {
    return v instanceof String
        || v instanceof Boolean
        || v instanceof Integer
        || (v instanceof Double d && Double.isFinite(d));
  }

  private static void finite(String field, double v) {
    if (!Double.isFinite(v)) {
      throw new IllegalArgumentException(field + ": must be a finite number, got " + v);
    }
  }

  private static double unit(double u) {
    if (!(u >= 0 && u < 1)) {
      throw new IllegalArgumentException("u: must be in [0, 1), got " + u);
    }
    return u;
  }

  private static double clamp(double v, double lo, double hi) {
    return Math.min(hi, Math.max(lo, v));
  }

  private static String fmt(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e9) {
      return Long.toString((long) v);
    }
    return new java.math.BigDecimal(v)
        .round(new java.math.MathContext(4))
        .stripTrailingZeros()
        .toString();
  }
}
