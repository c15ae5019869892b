package dev.caviar.config;

import dev.caviar.space.ConfigName;
import java.io.Serializable;

/**
 * How the study uses the cluster: the {@code execution} section of a study config.
 *
 * @param layout where the data lives while trials train (see DESIGN.md, "Two data layouts")
 * @param shards number of shards (Spark partitions) of the training data; 0 = from the training row
 *     count (never from the cores)
 * @param replicas how many shards each trial trains on (sharded layout); its scores' spread tells a
 *     real winner from noise
 * @param broadcastLimitMb the packed-data size under which {@code auto} picks the broadcast layout
 * @param finalModels {@code final.models}: how many networks the final model averages: seeds
 *     trained in parallel (broadcast layout, {@code final.train = retrain}) or the last round's
 *     best trials ({@code final.train = lastRound}); 0 = one per core, at most {@link
 *     #MAX_DEFAULT_FINAL_MODELS}
 * @param finalTrain {@code final.train}: how the final model is made
 * @param finalEpochs {@code final.epochs}: with {@code final.train = continue}, the epochs each of
 *     the last round's best networks trains on all rows after its own; 0 = a sixth of the last
 *     round's epochs, at least 1
 * @param finalRetrained {@code final.retrained}: with {@code final.train = lastRound} or {@code
 *     continue}, how many networks of the best configuration, each trained from its seed on all
 *     training rows as {@code retrain} trains them, join the last round's networks in the average
 *     (the sharded layout trains one per shard instead, whatever the number); 0 = none
 */
public record ExecutionSpec(
    Layout layout,
    int shards,
    int replicas,
    int broadcastLimitMb,
    int finalModels,
    FinalTrain finalTrain,
    int finalEpochs,
    int finalRetrained)
    implements Serializable {

  public static final int MAX_DEFAULT_FINAL_MODELS = 8;

  public ExecutionSpec(Layout layout, int shards, int replicas, int broadcastLimitMb) {
    this(layout, shards, replicas, broadcastLimitMb, 0);
  }

  public ExecutionSpec(
      Layout layout, int shards, int replicas, int broadcastLimitMb, int finalModels) {
    this(layout, shards, replicas, broadcastLimitMb, finalModels, FinalTrain.RETRAIN);
  }

  public ExecutionSpec(
      Layout layout,
      int shards,
      int replicas,
      int broadcastLimitMb,
      int finalModels,
      FinalTrain finalTrain) {
    this(layout, shards, replicas, broadcastLimitMb, finalModels, finalTrain, 0);
  }

  public ExecutionSpec(
      Layout layout,
      int shards,
      int replicas,
      int broadcastLimitMb,
      int finalModels,
      FinalTrain finalTrain,
      int finalEpochs) {
    this(layout, shards, replicas, broadcastLimitMb, finalModels, finalTrain, finalEpochs, 0);
  }

  /**
   * The epochs {@code final.train = continue} adds on all rows after a last round of {@code
   * roundEpochs}: {@code final.epochs}, or a sixth of the round's, at least 1.
   */
  public int continueEpochs(int roundEpochs) {
    return finalEpochs > 0 ? finalEpochs : Math.max(1, Math.round(roundEpochs / 6f));
  }

  /**
   * How the final model is made once the rounds are over.
   *
   * <ul>
   *   <li>{@code retrain}: the best configuration trained again on all training rows (validation
   *       rows included): one model per shard (sharded layout) or {@code final.models} seeds
   *       (broadcast layout), averaged.
   *   <li>{@code lastRound}: no training at all: the networks the last round already trained for
   *       its best {@code final.models} trials (on the training rows, chosen on the validation
   *       rows), averaged. Costs nothing but shipping those networks to the driver; the rows they
   *       never saw are the validation rows.
   *   <li>{@code continue}: those same networks, each trained on for {@code final.epochs} more
   *       epochs on all training rows (validation rows included) where the last round left it:
   *       weights, optimizer moments, batch-norm statistics and learning-rate schedule carry on.
   *       The rows they were chosen on are learnt from at a fraction of a retraining's cost.
   * </ul>
   */
  public enum FinalTrain implements ConfigName {
    RETRAIN,
    LAST_ROUND,
    CONTINUE;

    public static FinalTrain parse(String key, String name) {
      return ConfigName.parse(FinalTrain.class, key, name);
    }
  }

  /** Sharded: data stays in its partitions. Broadcast: packed data shipped once per study. */
  public enum Layout implements ConfigName {
    AUTO,
    SHARDED,
    BROADCAST;

    public static Layout parse(String key, String name) {
      return ConfigName.parse(Layout.class, key, name);
    }
  }

  /** The defaults of every {@code execution} key (config.Keys reads them from here). */
  public static final ExecutionSpec DEFAULT = new ExecutionSpec(Layout.AUTO, 0, 1, 512);

  public ExecutionSpec {
    if (layout == null) {
      throw new IllegalArgumentException("execution.layout: is required");
    }
    if (!(shards >= 0)) {
      throw new IllegalArgumentException(
          "execution.shards: must be >= 0 (0 = from the data), got " + shards);
    }
    if (!(replicas >= 1)) {
      throw new IllegalArgumentException("execution.replicas: must be >= 1, got " + replicas);
    }
    if (shards > 0 && replicas > shards) {
      throw new IllegalArgumentException(
          "execution.replicas: must be <= execution.shards (" + shards + "), got " + replicas);
    }
    if (!(broadcastLimitMb >= 0)) {
      throw new IllegalArgumentException(
          "execution.broadcastLimitMb: must be >= 0, got " + broadcastLimitMb);
    }
    if (finalTrain == null) {
      throw new IllegalArgumentException("final.train: is required");
    }
    if (!(finalEpochs >= 0)) {
      throw new IllegalArgumentException(
          "final.epochs: must be >= 0 (0 = a sixth of the last round's epochs), got "
              + finalEpochs);
    }
    if (finalEpochs > 0 && finalTrain != FinalTrain.CONTINUE) {
      throw new IllegalArgumentException(
          "final.epochs: applies only with final.train = continue, got "
              + finalEpochs
              + " with final.train = "
              + finalTrain.configName());
    }
    if (!(finalModels >= 0)) {
      throw new IllegalArgumentException(
          "final.models: must be >= 0 (0 = one per core), got " + finalModels);
    }
    if (!(finalRetrained >= 0)) {
      throw new IllegalArgumentException(
          "final.retrained: must be >= 0 (0 = none), got " + finalRetrained);
    }
    if (finalRetrained > 0 && finalTrain == FinalTrain.RETRAIN) {
      throw new IllegalArgumentException(
          "final.retrained: applies only with final.train = lastRound or continue (with retrain,"
              + " final.models counts the retrained networks), got "
              + finalRetrained);
    }
  }
}
