package dev.caviar.spark;

import dev.caviar.nn.Model;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.classification.ProbabilisticClassificationModel;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.types.StructType;

/**
 * The tuned network as a Spark ML classification model: scores a DataFrame's raw feature vectors
 * (the training standardisation is part of the model) into {@code rawPrediction}, {@code
 * probability} and {@code prediction}, with Spark's {@code thresholds}, and saves and loads in
 * Spark ML's layout, so that a {@code Pipeline} or {@code PipelineModel} holding it saves and loads
 * too (see {@link TunedModelFiles}).
 *
 * <p>The model may be an ensemble: several networks of the same inputs and classes (the shards'
 * models of the sharded layout, or seeds of the broadcast layout) whose class probabilities are
 * averaged, in member order. {@code rawPrediction} is that average; {@code probability} is it
 * normalised to sum to exactly one (the members' float probabilities sum to one within rounding).
 *
 * <p>A model made by a study carries its {@link StudySummary} (the trials, the best configuration,
 * its ties, the test score), saved and loaded with it.
 */
public final class TunedModel extends ProbabilisticClassificationModel<Vector, TunedModel>
    implements MLWritable {
  private static final long serialVersionUID = 2L;

  /**
   * Spark's parameter traits build their {@code Param}s in the superclass constructor, and a
   * param's parent is its owner's uid, which a Java field cannot hold before {@code super()}
   * returns: the constructor leaves it here on the way in.
   */
  private static final ThreadLocal<String> CONSTRUCTING = new ThreadLocal<>();

  private final String uid;
  private final List<Model> members;
  private final double[] mean;
  private final double[] scale;
  // The summary stays on the driver: transform ships the model to the executors in its UDFs.
  private transient StudySummary summary;

  /**
   * @param network the trained network (inference mode)
   * @param mean per-feature training mean subtracted before the network
   * @param scale per-feature divisor (training standard deviation; 1 for constant features)
   */
  public TunedModel(Model network, double[] mean, double[] scale) {
    this(List.of(network), mean, scale);
  }

  /**
   * An ensemble: the members' class probabilities are averaged.
   *
   * @param members at least one network, all with the same inputs and classes
   */
  public TunedModel(List<Model> members, double[] mean, double[] scale) {
    this(Identifiable$.MODULE$.randomUID("caviar"), members, mean, scale);
  }

  TunedModel(String uid, List<Model> members, double[] mean, double[] scale) {
    this(constructing(uid), members, mean, scale, true);
  }

  private TunedModel(
      String uid, List<Model> members, double[] mean, double[] scale, boolean unused) {
    super();
    this.uid = uid;
    CONSTRUCTING.remove();
    if (members.isEmpty()) {
      throw new IllegalArgumentException("TunedModel: members must hold at least one network");
    }
    Model network = members.get(0);
    for (Model m : members) {
      if (m.spec().inputs() != network.spec().inputs()
          || m.spec().classes() != network.spec().classes()) {
        throw new IllegalArgumentException(
            "TunedModel: every member must have the first one's inputs and classes");
      }
    }
    int inputs = network.spec().inputs();
    if (mean.length != inputs || scale.length != inputs) {
      throw new IllegalArgumentException(
          String.format(
              "TunedModel: scaler width must equal the network's %d inputs, got mean %d, scale %d",
              inputs, mean.length, scale.length));
    }
    this.members = List.copyOf(members);
    this.mean = mean.clone();
    this.scale = scale.clone();
  }

  private static String constructing(String uid) {
    CONSTRUCTING.set(uid);
    return uid;
  }

  @Override
  public String uid() {
    return uid != null ? uid : CONSTRUCTING.get();
  }

  /** The first member: the single model of an ensemble. */
  public Model network() {
    return members.get(0);
  }

  /** Every network whose probabilities the model averages, in order. */
  public List<Model> members() {
    return members;
  }

  /** The training mean per feature, subtracted before the networks. */
  public double[] mean() {
    return mean.clone();
  }

  /** The divisor per feature, applied after the mean. */
  public double[] scale() {
    return scale.clone();
  }

  @Override
  public int numFeatures() {
    return mean.length;
  }

  @Override
  public int numClasses() {
    return members.get(0).spec().classes();
  }

  /** Whether the model knows the study that made it (a model saved before summaries does not). */
  public boolean hasSummary() {
    return summary != null;
  }

  /**
   * The study that made the model: its trials, best configuration, ties and test score.
   *
   * @throws IllegalStateException for a model without one (see {@link #hasSummary})
   */
  public StudySummary summary() {
    if (summary == null) {
      throw new IllegalStateException(
          "no study summary for TunedModel " + uid + ": it was saved before models kept one");
    }
    return summary;
  }

  TunedModel setSummary(StudySummary summary) {
    this.summary = summary;
    return this;
  }

  /** Class probabilities of one raw feature vector: the members' average. */
  public double[] predictProbabilities(Vector features) {
    if (features.size() != mean.length) {
      throw new IllegalArgumentException(
          String.format(
              "featuresCol '%s': vectors must have %d features, got %d",
              getFeaturesCol(), mean.length, features.size()));
    }
    float[] x = new float[mean.length];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) ((features.apply(i) - mean[i]) / scale[i]);
    }
    float[] p = new float[numClasses()];
    double[] out = new double[p.length];
    for (Model m : members) {
      m.predictProbabilities(x, 0, p);
      for (int i = 0; i < p.length; i++) {
        out[i] += p[i];
      }
    }
    for (int i = 0; i < out.length; i++) {
      out[i] /= members.size();
    }
    return out;
  }

  @Override
  public Vector predictRaw(Vector features) {
    return Vectors.dense(predictProbabilities(features));
  }

  @Override
  public Vector raw2probabilityInPlace(Vector rawPrediction) {
    if (rawPrediction instanceof DenseVector dense) {
      ProbabilisticClassificationModel.normalizeToProbabilitiesInPlace(dense);
      return dense;
    }
    throw new IllegalArgumentException(
        "rawPrediction: must be a dense vector, got " + rawPrediction.getClass().getSimpleName());
  }

  /** Spark's schema rules, after checks that name the column and what is wrong with it. */
  @Override
  public StructType transformSchema(StructType schema) {
    List<String> names = Arrays.asList(schema.fieldNames());
    String in = getFeaturesCol();
    if (!names.contains(in)) {
      throw new IllegalArgumentException(
          "featuresCol: column '" + in + "' does not exist; the columns are " + names);
    }
    if (!schema.apply(in).dataType().equals(SQLDataTypes.VectorType())) {
      throw new IllegalArgumentException(
          "featuresCol: column '"
              + in
              + "' must be a vector, got "
              + schema.apply(in).dataType().simpleString());
    }
    String[][] outputs = {
      {"predictionCol", getPredictionCol()},
      {"probabilityCol", getProbabilityCol()},
      {"rawPredictionCol", getRawPredictionCol()}
    };
    for (String[] out : outputs) {
      if (!out[1].isEmpty() && names.contains(out[1])) {
        throw new IllegalArgumentException(
            out[0] + ": column '" + out[1] + "' already exists; set " + out[0] + " to a new name");
      }
    }
    return super.transformSchema(schema);
  }

  // Scala erases the two inherited declarations to one signature that javac sees twice.
  // The raw type is the one return type that overrides both.
  @Override
  @SuppressWarnings({"rawtypes", "unchecked"})
  public scala.Tuple3 findSummaryModel() {
    return super.findSummaryModel();
  }

  @Override
  public TunedModel copy(ParamMap extra) {
    TunedModel copy = copyValues(new TunedModel(uid, members, mean, scale), extra);
    copy.summary = summary;
    return copy.setParent(parent());
  }

  @Override
  public MLWriter write() {
    return TunedModelFiles.writer(this);
  }

  /** The reader {@code PipelineModel.load} finds by reflection (Spark's {@code MLReadable}). */
  public static MLReader<TunedModel> read() {
    return TunedModelFiles.reader();
  }

  public static TunedModel load(String path) {
    return read().load(path);
  }

  @Override
  public String toString() {
    return "TunedModel: uid="
        + uid
        + ", numClasses="
        + numClasses()
        + ", numFeatures="
        + numFeatures()
        + ", members="
        + members.size();
  }
}
