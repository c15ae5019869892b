package dev.caviar.study;

import java.io.Serializable;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One configuration to train in one round.
 *
 * @param round the round it belongs to
 * @param number its id, unique within the study
 * @param seed the base training seed; replicate {@code s} trains with {@link #seedFor(int)}
 * @param params the active hyperparameters (Double, Integer, String or Boolean); inactive
 *     conditional parameters are absent
 * @param epochs the fidelity: epochs to train in this round
 * @param carriedFrom the number of the trial of the previous round it re-scores, or -1
 */
public record Trial(
    int round, int number, long seed, SortedMap<String, Object> params, int epochs, int carriedFrom)
    implements Serializable {

  public Trial {
    if (!(round >= 0)) {
      throw new IllegalArgumentException("trial.round: must be >= 0, got " + round);
    }
    if (!(number >= 0)) {
      throw new IllegalArgumentException("trial.number: must be >= 0, got " + number);
    }
    if (!(epochs >= 1)) {
      throw new IllegalArgumentException("trial.epochs: must be >= 1, got " + epochs);
    }
    if (!(carriedFrom >= -1)) {
      throw new IllegalArgumentException("trial.carriedFrom: must be >= -1, got " + carriedFrom);
    }
    if (params == null) {
      throw new IllegalArgumentException("trial.params: is required");
    }
    for (Map.Entry<String, Object> e : params.entrySet()) {
      Object v = e.getValue();
      if (!(v instanceof String
          || v instanceof Boolean
          || v instanceof Integer
          || (v instanceof Double d && Double.isFinite(d)))) {
        throw new IllegalArgumentException(
            "trial.params."
                + e.getKey()
                + ": must be a Double, Integer, String or Boolean, got "
                + v);
      }
    }
    params = Collections.unmodifiableSortedMap(new TreeMap<>(params));
  }

  /** The training seed of the replicate on {@code shard}. */
  public long seedFor(int shard) {
    return Seeds.combine(seed, shard);
  }

  public boolean has(String name) {
    return params.containsKey(name);
  }

  public double doubleParam(String name) {
    if (get(name) instanceof Number n) {
      return n.doubleValue();
    }
    throw new IllegalArgumentException("trial.params." + name + ": not a number: " + get(name));
  }

  public int intParam(String name) {
    if (get(name) instanceof Integer i) {
      return i;
    }
    throw new IllegalArgumentException("trial.params." + name + ": not an integer: " + get(name));
  }

  public String stringParam(String name) {
    return String.valueOf(get(name));
  }

  public boolean booleanParam(String name) {
    if (get(name) instanceof Boolean b) {
      return b;
    }
    throw new IllegalArgumentException("trial.params." + name + ": not a boolean: " + get(name));
  }

  private Object get(String name) {
    Object v = params.get(name);
    if (v == null) {
      throw new IllegalArgumentException("trial.params." + name + ": absent from trial " + number);
    }
    return v;
  }
}
