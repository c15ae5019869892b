package dev.caviar.space;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * The codec of domains, and the one place that knows the scale names: scale name ↔ {@link Domain}
 * record ↔ bounds (the plain map {@code {scale, low, high}} or {@code {scale, values}} that {@code
 * region.json} and the config reader carry). A new scale is one {@link Domain} record plus one row
 * of {@link #ALL}; the config reader, the region files, warm start and the report follow.
 *
 * <p>Each row takes its name from a sample of its record ({@link Domain#scale()}), so the name is
 * written once, in the record.
 */
public final class Scales {
  private Scales() {}

  /** What a scale's bounds are. */
  public enum Shape {
    /** Real bounds {@code low, high}. */
    REAL,
    /** Integer bounds {@code low, high}. */
    INTEGER,
    /** A list of values. */
    CHOICE,
    /** One value. */
    FIXED
  }

  /** How a chart draws a scale's values: the axis on which its draws look uniform. */
  public enum Axis {
    LINEAR,
    LOG,
    /** A log axis of {@code 1 - x}, where betas near 1 spread out. */
    ONE_MINUS_LOG,
    CATEGORIES
  }

  /**
   * One scale.
   *
   * @param name its config name, as {@link Domain#scale()} returns it
   * @param shape what its bounds are
   * @param axis how a chart draws it
   * @param make builds the domain from numeric bounds (null for choice and fixed)
   * @param width the width of {@code [low, high]} in the scale's own unit (decades, doublings), or
   *     null where the plain difference reads best
   */
  public record Scale(
      String name,
      Shape shape,
      Axis axis,
      BiFunction<Double, Double, Domain> make,
      BiFunction<Double, Double, String> width) {
    public Scale {
      if (name == null
          || shape == null
          || axis == null
          || (make == null) != (axis == Axis.CATEGORIES)) {
        throw new IllegalArgumentException(
            "scale: needs a name, a shape and a maker exactly for numeric shapes, got " + name);
      }
    }

    /** Whether a chart shows it on a logarithmic axis (of x, or of 1 - x). */
    public boolean logAxis() {
      return axis == Axis.LOG || axis == Axis.ONE_MINUS_LOG;
    }

    /** Whether the scale has numeric {@code low, high} bounds. */
    public boolean numeric() {
      return make != null;
    }

    /** Whether its values are integers. */
    public boolean integer() {
      return shape == Shape.INTEGER;
    }

    /** The numeric domain with these bounds; integer scales take the bounds as integers. */
    public Domain.Numeric domain(double low, double high) {
      if (!numeric()) {
        throw new IllegalArgumentException(
            "scale: " + name + " has no numeric bounds, got [" + low + ", " + high + "]");
      }
      return (Domain.Numeric) make.apply(low, high);
    }

    /** A bound in the scale's own type: Integer on integer scales, Double otherwise. */
    public Object bound(double v) {
      return integer() ? (Object) (int) v : (Object) v;
    }

    /** The width of {@code [low, high]} in decades or doublings; empty on linear scales. */
    public Optional<String> widthText(double low, double high) {
      return width == null ? Optional.empty() : Optional.of(width.apply(low, high));
    }
  }

  private static Scale real(BiFunction<Double, Double, Domain> make, Axis axis, String unit) {
    return numeric(Shape.REAL, make, axis, unit);
  }

  private static Scale integer(BiFunction<Double, Double, Domain> make, Axis axis, String unit) {
    return numeric(Shape.INTEGER, make, axis, unit);
  }

  private static Scale numeric(
      Shape shape, BiFunction<Double, Double, Domain> make, Axis axis, String unit) {
    // Bounds legal on every scale of the shape: (0.25, 0.5) for reals, (1, 2) for integers.
    Domain sample = shape == Shape.REAL ? make.apply(0.25, 0.5) : make.apply(1.0, 2.0);
    String name = sample.scale();
    BiFunction<Double, Double, String> width =
        unit == null ? null : (lo, hi) -> widthOf(sample, lo, hi, unit);
    return new Scale(name, shape, axis, make, width);
  }

  /**
   * Width in the transformed coordinate. The exact formulas ({@code log10(hi / lo)} rather than a
   * difference of logs) are kept so reports read the same digits as before the codec existed.
   */
  private static String widthOf(Domain d, double lo, double hi, String unit) {
    double w =
        d instanceof Domain.OneMinusLog
            ? Math.log10((1 - lo) / (1 - hi))
            : d instanceof Domain.Pow2 ? Math.log(hi / lo) / Math.log(2) : Math.log10(hi / lo);
    return String.format(Locale.ROOT, unit, w);
  }

  /** Every scale, in the order messages and docs list them. */
  public static final List<Scale> ALL =
      List.of(
          real(Domain.Linear::new, Axis.LINEAR, null),
          real(Domain.Log::new, Axis.LOG, "%.2f dec."),
          real(Domain.OneMinusLog::new, Axis.ONE_MINUS_LOG, "%.2f dec. of 1-x"),
          integer(
              (lo, hi) -> new Domain.IntUniform(lo.intValue(), hi.intValue()), Axis.LINEAR, null),
          integer(
              (lo, hi) -> new Domain.IntLog(lo.intValue(), hi.intValue()), Axis.LOG, "%.2f dec."),
          integer(
              (lo, hi) -> new Domain.Pow2(lo.intValue(), hi.intValue()),
              Axis.LOG,
              "%.0f doublings"),
          new Scale(
              new Domain.Choice(List.of(0)).scale(), Shape.CHOICE, Axis.CATEGORIES, null, null),
          new Scale(new Domain.Fixed(0).scale(), Shape.FIXED, Axis.CATEGORIES, null, null));

  /** The scale names, in order. */
  public static List<String> names() {
    List<String> out = new ArrayList<>();
    for (Scale s : ALL) {
      out.add(s.name());
    }
    return out;
  }

  /** The scale called {@code name}, or an error naming the legal ones. */
  public static Scale named(String name) {
    for (Scale s : ALL) {
      if (s.name().equals(name)) {
        return s;
      }
    }
    throw new IllegalArgumentException(
        "scale: must be one of " + String.join(", ", names()) + ", got '" + name + "'");
  }

  /** The scale of a domain. */
  public static Scale of(Domain d) {
    return named(d.scale());
  }

  /** The numeric domain {@code scale[low, high]}. */
  public static Domain.Numeric numeric(String scale, double low, double high) {
    return named(scale).domain(low, high);
  }

  /** {@code {scale, low, high}} (doubles) for a numeric domain, {@code {scale, values}} else. */
  public static Map<String, Object> toBounds(Domain d) {
    Map<String, Object> b = new LinkedHashMap<>();
    b.put("scale", d.scale());
    if (d instanceof Domain.Numeric n) {
      b.put("low", n.lowBound());
      b.put("high", n.highBound());
    } else if (d instanceof Domain.Choice c) {
      b.put("values", c.values());
    } else if (d instanceof Domain.Fixed f) {
      b.put("values", List.of(f.value()));
    }
    return b;
  }

  /**
   * The domain of a bounds map, the inverse of {@link #toBounds}. Whole numbers among the values (a
   * JSON reader's Long or Integer) become Integer, other numbers Double.
   */
  public static Domain fromBounds(Map<String, ?> b) {
    Scale s = named(String.valueOf(b.get("scale")));
    if (s.numeric()) {
      return s.domain(number(b, "low"), number(b, "high"));
    }
    if (!(b.get("values") instanceof List<?> list)) {
      throw new IllegalArgumentException(
          "values: must be a list for scale " + s.name() + ", got " + b.get("values"));
    }
    List<Object> values = new ArrayList<>();
    for (Object v : list) {
      values.add(
          v instanceof Integer || v instanceof Long
              ? (Object) ((Number) v).intValue()
              : v instanceof Number n ? (Object) n.doubleValue() : v);
    }
    return s.shape() == Shape.CHOICE ? new Domain.Choice(values) : new Domain.Fixed(values.get(0));
  }

  private static double number(Map<String, ?> b, String field) {
    if (b.get(field) instanceof Number n) {
      return n.doubleValue();
    }
    throw new IllegalArgumentException(field + ": must be a number, got " + b.get(field));
  }
}
