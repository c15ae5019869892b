package dev.caviar.space;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * One searched hyperparameter.
 *
 * @param name the trial key, e.g. {@code learningRate}
 * @param domain its initial scale and bounds
 * @param condition null, or the choice parent and values under which it is active
 * @param limits null, or the widest bounds the boundary rule may widen to (same scale as {@code
 *     domain}); null means the scale's natural limits for log-like scales and the initial bounds
 *     for {@code linear} and {@code int}, whose legal range the scale cannot know
 */
public record Parameter(String name, Domain domain, Condition condition, Domain limits)
    implements Serializable {

  /** Active only when {@code parent}'s value is one of {@code values}. */
  public record Condition(String parent, List<Object> values) implements Serializable {
    public Condition {
      if (parent == null || parent.isBlank()) {
        throw new IllegalArgumentException("when: must name a parent parameter, got " + parent);
      }
      if (values == null || values.isEmpty()) {
        throw new IllegalArgumentException("when." + parent + ": must list values, got []");
      }
      values = List.copyOf(values);
    }

    public boolean holds(Map<String, Object> params) {
      Object v = params.get(parent);
      return v != null && values.contains(v);
    }
  }

  public Parameter(String name, Domain domain) {
    this(name, domain, null, null);
  }

  public Parameter(String name, Domain domain, Condition condition) {
    this(name, domain, condition, null);
  }

  public Parameter {
    if (name == null || !name.matches("[A-Za-z][A-Za-z0-9_]*")) {
      throw new IllegalArgumentException(
          "name: must be an identifier (letters, digits, _), got '" + name + "'");
    }
    if (domain == null) {
      throw new IllegalArgumentException(name + ": domain is required");
    }
    if (condition != null && condition.parent().equals(name)) {
      throw new IllegalArgumentException(name + ".when: a parameter cannot depend on itself");
    }
    if (limits != null) {
      if (!(domain instanceof Domain.Numeric d) || limits.getClass() != domain.getClass()) {
        throw new IllegalArgumentException(
            name
                + ".limits: must be numeric bounds on the same scale as the domain ("
                + domain.scale()
                + "), got "
                + limits.describe());
      }
      Domain.Numeric l = (Domain.Numeric) limits;
      if (!(l.lowBound() <= d.lowBound() && l.highBound() >= d.highBound())) {
        throw new IllegalArgumentException(
            name
                + ".limits: must contain the initial range "
                + d.describe()
                + ", got ["
                + l.lowBound()
                + ", "
                + l.highBound()
                + "]");
      }
    }
  }

  /**
   * The widest bounds (values, not coordinates) the boundary rule may widen to: {@code limits} if
   * given; else the initial bounds for linear and int scales (nothing says what is legal beyond
   * them); else the initial range widened by its own width on each side in the transformed
   * coordinate (a decade each way for a learning rate on [1e-4, 1e-3]), within the scale's natural
   * limits. Unbounded widening would let one noisy round push, say, hidden units to millions.
   */
  public double[] limitValues() {
    if (!(domain instanceof Domain.Numeric d)) {
      throw new IllegalStateException(name + ": not numeric");
    }
    if (limits != null) {
      Domain.Numeric l = (Domain.Numeric) limits;
      return new double[] {l.lowBound(), l.highBound()};
    }
    if (d instanceof Domain.Linear || d instanceof Domain.IntUniform) {
      return new double[] {d.lowBound(), d.highBound()};
    }
    double[] c = d.naturalLimits();
    double lo = d.coordinate(d.lowBound());
    double hi = d.coordinate(d.highBound());
    double w = hi - lo;
    double low = d.value(Math.max(c[0], lo - w));
    double high = d.value(Math.min(c[1], hi + w));
    // Integer scales: round inward to legal values, so a limit is never a hair past one.
    if (d instanceof Domain.Pow2) {
      low = Math.pow(2, Math.ceil(Math.log(low) / Math.log(2) - 1e-9));
      high = Math.pow(2, Math.floor(Math.log(high) / Math.log(2) + 1e-9));
    } else if (d instanceof Domain.IntLog) {
      low = Math.ceil(low - 1e-9);
      high = Math.floor(high + 1e-9);
    }
    return new double[] {Math.min(low, d.lowBound()), Math.max(high, d.highBound())};
  }
}
