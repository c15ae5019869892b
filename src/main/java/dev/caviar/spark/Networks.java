package dev.caviar.spark;

import dev.caviar.config.Hyperparameters;
import dev.caviar.nn.NetworkSpec;
import java.util.Map;

/**
 * The Spark runner's door to the hyperparameter catalogue ({@link Hyperparameters}): names,
 * defaults and the mapping onto {@link NetworkSpec} live there, once. Pure Java: the runner calls
 * it inside tasks, the job calls {@link #checkNames} before Spark starts.
 */
public final class Networks {
  private Networks() {}

  /** Fails, naming the key, when {@code names} holds one that no trial can use. */
  public static void checkNames(String section, Iterable<String> names) {
    Hyperparameters.checkNames(section, names);
  }

  /**
   * The network a trial trains.
   *
   * @param params the trial's values merged over the model section's fixed values
   */
  public static NetworkSpec toSpec(
      Map<String, Object> params, int inputs, int classes, int epochs, double divergenceFactor) {
    return Hyperparameters.toSpec(params, inputs, classes, epochs, divergenceFactor);
  }
}
