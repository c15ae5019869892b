package dev.caviar.nn;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;

/**
 * Everything that defines one trial's network and its training: architecture, batch norm, dropout,
 * initialisation, optimizer, learning rate and decay, L2, mini-batch size, epochs, and the
 * divergence rule. Immutable, serialisable, validated at birth; build it with {@link #builder}.
 *
 * @param inputs features per example
 * @param hidden hidden-layer widths, input side first (may be empty: softmax regression)
 * @param classes output classes C (binary is C = 2)
 * @param batchSize examples per mini-batch; at least 2 when batch norm has a hidden layer to
 *     normalise (a batch of one has zero variance)
 * @param batchNorm BN on Z = W·A before the activation of every hidden layer; those layers then
 *     have no bias (BN's beta replaces it). The output layer is affine with a bias, never BN.
 * @param bnMomentum beta of the exponentially weighted averages of mu and sigma^2 used at inference
 * @param bnEpsilon added to the mini-batch variance before its root
 * @param dropout inverted-dropout drop rate of hidden activations, in [0, 1)
 * @param l2 lambda of the course's {@code lambda/(2N) * sum ||W||^2} with N the number of training
 *     examples (not the mini-batch size: lambda then means the same whatever batch size is
 *     sampled), on weight matrices only, never gamma, beta or biases
 * @param divergenceFactor a mini-batch loss above this multiple of the initial loss (or NaN/Inf)
 *     stops the trial as DIVERGED
 */
public record NetworkSpec(
    int inputs,
    List<Integer> hidden,
    int classes,
    Activation activation,
    boolean batchNorm,
    double bnMomentum,
    double bnEpsilon,
    double dropout,
    Init init,
    OptimizerSpec optimizer,
    double learningRate,
    DecaySpec decay,
    double l2,
    int batchSize,
    int epochs,
    double divergenceFactor)
    implements Serializable {

  public static final double DEFAULT_BN_MOMENTUM = 0.9;

  /** PyTorch's and Keras's default (Keras uses 1e-3); small next to unit-variance inputs. */
  public static final double DEFAULT_BN_EPSILON = 1e-5;

  public static final double DEFAULT_LEARNING_RATE = 1e-3;
  public static final int DEFAULT_BATCH_SIZE = 128;
  public static final int DEFAULT_EPOCHS = 10;

  /**
   * The initial loss is about ln C; ten times that is far beyond anything a converging run shows
   * even in its noisiest first batches.
   */
  public static final double DEFAULT_DIVERGENCE_FACTOR = 10;

  public NetworkSpec {
    positive("inputs", inputs);
    if (hidden == null) {
      throw new IllegalArgumentException("hidden: must not be null");
    }
    for (int i = 0; i < hidden.size(); i++) {
      Integer w = hidden.get(i);
      if (w == null || w < 1) {
        throw new IllegalArgumentException("hidden[" + i + "]: must be >= 1, got " + w);
      }
    }
    hidden = List.copyOf(hidden);
    if (classes < 2) {
      throw new IllegalArgumentException("classes: must be >= 2, got " + classes);
    }
    notNull("activation", activation);
    notNull("init", init);
    notNull("optimizer", optimizer);
    notNull("decay", decay);
    if (!(bnMomentum >= 0 && bnMomentum < 1)) {
      throw new IllegalArgumentException("bnMomentum: must be in [0, 1), got " + bnMomentum);
    }
    if (!(bnEpsilon > 0 && bnEpsilon < 1)) {
      throw new IllegalArgumentException("bnEpsilon: must be in (0, 1), got " + bnEpsilon);
    }
    if (!(dropout >= 0 && dropout < 1)) {
      throw new IllegalArgumentException("dropout: must be in [0, 1), got " + dropout);
    }
    if (!(learningRate > 0 && learningRate < Double.POSITIVE_INFINITY)) {
      throw new IllegalArgumentException(
          "learningRate: must be > 0 and finite, got " + learningRate);
    }
    if (!(l2 >= 0 && l2 < Double.POSITIVE_INFINITY)) {
      throw new IllegalArgumentException("l2: must be >= 0 and finite, got " + l2);
    }
    positive("batchSize", batchSize);
    if (batchNorm && !hidden.isEmpty() && batchSize < 2) {
      throw new IllegalArgumentException(
          "batchSize: must be >= 2 with batchNorm (a mini-batch of one has zero variance: BN"
              + " would output beta and train nothing), got "
              + batchSize);
    }
    positive("epochs", epochs);
    if (!(divergenceFactor > 1 && divergenceFactor < Double.POSITIVE_INFINITY)) {
      throw new IllegalArgumentException(
          "divergenceFactor: must be > 1 and finite, got " + divergenceFactor);
    }
  }

  private static void positive(String key, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(key + ": must be >= 1, got " + value);
    }
  }

  private static void notNull(String key, Object value) {
    if (value == null) {
      throw new IllegalArgumentException(key + ": must not be null");
    }
  }

  /** Whether training normalises with mini-batch statistics (BN and at least one hidden layer). */
  boolean usesBatchStatistics() {
    return batchNorm && !hidden.isEmpty();
  }

  /** Layer widths from input to output: {@code inputs, hidden..., classes}. */
  public int[] widths() {
    int[] w = new int[hidden.size() + 2];
    w[0] = inputs;
    for (int i = 0; i < hidden.size(); i++) {
      w[i + 1] = hidden.get(i);
    }
    w[w.length - 1] = classes;
    return w;
  }

  /** Starts a spec with the defaults: no hidden layer, ReLU, BN on, Adam lr 1e-3, batch 128. */
  public static Builder builder(int inputs, int classes) {
    return new Builder(inputs, classes);
  }

  /** A builder initialised from this spec. */
  public Builder toBuilder() {
    Builder b = new Builder(inputs, classes);
    b.hidden = hidden;
    b.activation = activation;
    b.batchNorm = batchNorm;
    b.bnMomentum = bnMomentum;
    b.bnEpsilon = bnEpsilon;
    b.dropout = dropout;
    b.init = init;
    b.optimizer = optimizer;
    b.learningRate = learningRate;
    b.decay = decay;
    b.l2 = l2;
    b.batchSize = batchSize;
    b.epochs = epochs;
    b.divergenceFactor = divergenceFactor;
    return b;
  }

  /** Fills in defaults; {@link #build} validates. The init defaults by activation when unset. */
  public static final class Builder {
    private final int inputs;
    private final int classes;
    private List<Integer> hidden = List.of();
    private Activation activation = Activation.RELU;
    private boolean batchNorm = true;
    private double bnMomentum = DEFAULT_BN_MOMENTUM;
    private double bnEpsilon = DEFAULT_BN_EPSILON;
    private double dropout = 0;
    private Init init;
    private OptimizerSpec optimizer = OptimizerSpec.adam();
    private double learningRate = DEFAULT_LEARNING_RATE;
    private DecaySpec decay = DecaySpec.NONE;
    private double l2 = 0;
    private int batchSize = DEFAULT_BATCH_SIZE;
    private int epochs = DEFAULT_EPOCHS;
    private double divergenceFactor = DEFAULT_DIVERGENCE_FACTOR;

    private Builder(int inputs, int classes) {
      this.inputs = inputs;
      this.classes = classes;
    }

    public Builder hidden(List<Integer> widths) {
      this.hidden = widths;
      return this;
    }

    public Builder hidden(int... widths) {
      this.hidden = Arrays.stream(widths).boxed().toList();
      return this;
    }

    public Builder activation(Activation value) {
      this.activation = value;
      return this;
    }

    public Builder batchNorm(boolean value) {
      this.batchNorm = value;
      return this;
    }

    public Builder bnMomentum(double value) {
      this.bnMomentum = value;
      return this;
    }

    public Builder bnEpsilon(double value) {
      this.bnEpsilon = value;
      return this;
    }

    public Builder dropout(double value) {
      this.dropout = value;
      return this;
    }

    /** Null restores the default for the activation. */
    public Builder init(Init value) {
      this.init = value;
      return this;
    }

    public Builder optimizer(OptimizerSpec value) {
      this.optimizer = value;
      return this;
    }

    public Builder learningRate(double value) {
      this.learningRate = value;
      return this;
    }

    public Builder decay(DecaySpec value) {
      this.decay = value;
      return this;
    }

    public Builder l2(double value) {
      this.l2 = value;
      return this;
    }

    public Builder batchSize(int value) {
      this.batchSize = value;
      return this;
    }

    public Builder epochs(int value) {
      this.epochs = value;
      return this;
    }

    public Builder divergenceFactor(double value) {
      this.divergenceFactor = value;
      return this;
    }

    public NetworkSpec build() {
      Init resolved = init != null || activation == null ? init : Init.defaultFor(activation);
      return new NetworkSpec(
          inputs,
          hidden,
          classes,
          activation,
          batchNorm,
          bnMomentum,
          bnEpsilon,
          dropout,
          resolved,
          optimizer,
          learningRate,
          decay,
          l2,
          batchSize,
          epochs,
          divergenceFactor);
    }
  }
}
