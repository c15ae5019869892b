package dev.caviar.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.caviar.nn.Model;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The tuned network as a Spark ML {@code Model}: scores a DataFrame's raw feature vectors (the
 * training standardisation is part of the model) into a class-probability vector and a predicted
 * label, and saves/loads like any Spark ML stage ({@code model.write().save(path)}, {@code
 * TunedModel.load(path)}), on any Hadoop path.
 *
 * <p>The model may be an ensemble: several networks of the same shape (the shards' models of the
 * sharded layout, or seeds of the broadcast layout) whose class probabilities are averaged, in
 * member order. The first network is stored as the engine's serialised inference form (plain
 * arrays) next to a JSON metadata file naming the class, version and columns; further members, if
 * any, in {@code members.bin}.
 */
public final class TunedModel extends org.apache.spark.ml.Model<TunedModel> implements MLWritable {
  private static final long serialVersionUID = 1L;
  static final String FORMAT = "caviar-tuned-model-1";
  private static final String MEMBERS = "members.bin";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String uid;
  private final List<Model> members;
  private final double[] mean;
  private final double[] scale;

  // Assigned after uid: a Param's parent is its owner's uid, which field initialisers cannot see.
  // Spark finds a stage's params through public no-argument methods returning Param.
  private final Param<String> featuresCol;
  private final Param<String> predictionCol;
  private final Param<String> probabilityCol;

  public Param<String> featuresCol() {
    return featuresCol;
  }

  public Param<String> predictionCol() {
    return predictionCol;
  }

  public Param<String> probabilityCol() {
    return probabilityCol;
  }

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

  private TunedModel(String uid, List<Model> members, double[] mean, double[] scale) {
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
    this.uid = uid;
    this.featuresCol =
        new Param<>(uid, "featuresCol", "features column: a vector of raw (unstandardised) values");
    this.predictionCol =
        new Param<>(uid, "predictionCol", "output column: predicted class as a double");
    this.probabilityCol =
        new Param<>(uid, "probabilityCol", "output column: class probabilities as a vector");
    this.members = List.copyOf(members);
    this.mean = mean.clone();
    this.scale = scale.clone();
    setDefault(featuresCol, "features");
    setDefault(predictionCol, "prediction");
    setDefault(probabilityCol, "probability");
  }

  @Override
  public String uid() {
    return uid;
  }

  /** The first member: the single model of an ensemble. */
  public Model network() {
    return members.get(0);
  }

  /** Every network whose probabilities the model averages, in order. */
  public List<Model> members() {
    return members;
  }

  public int numFeatures() {
    return mean.length;
  }

  public int numClasses() {
    return members.get(0).spec().classes();
  }

  public TunedModel setFeaturesCol(String name) {
    set(featuresCol, name);
    return this;
  }

  public TunedModel setPredictionCol(String name) {
    set(predictionCol, name);
    return this;
  }

  public TunedModel setProbabilityCol(String name) {
    set(probabilityCol, name);
    return this;
  }

  /** Class probabilities of one raw feature vector. */
  public double[] predictProbabilities(Vector features) {
    if (features.size() != mean.length) {
      throw new IllegalArgumentException(
          String.format(
              "%s: vectors must have %d features, got %d",
              $(featuresCol), mean.length, features.size()));
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
  public StructType transformSchema(StructType schema) {
    String in = $(featuresCol);
    if (!Arrays.asList(schema.fieldNames()).contains(in)) {
      throw new IllegalArgumentException(
          "featuresCol: column '"
              + in
              + "' does not exist; the columns are "
              + Arrays.toString(schema.fieldNames()));
    }
    if (!schema.apply(in).dataType().equals(SQLDataTypes.VectorType())) {
      throw new IllegalArgumentException(
          "featuresCol: column '" + in + "' must be a vector, got " + schema.apply(in).dataType());
    }
    return schema
        .add(new StructField($(probabilityCol), SQLDataTypes.VectorType(), false, null))
        .add(new StructField($(predictionCol), DataTypes.DoubleType, false, null));
  }

  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    transformSchema(dataset.schema());
    TunedModel self = this;
    UserDefinedFunction probabilities =
        functions.udf(
            (UDF1<Vector, Vector>) v -> Vectors.dense(self.predictProbabilities(v)),
            SQLDataTypes.VectorType());
    UserDefinedFunction argmax =
        functions.udf((UDF1<Vector, Double>) v -> (double) v.argmax(), DataTypes.DoubleType);
    Column p = probabilities.apply(dataset.col($(featuresCol)));
    Dataset<Row> withP = dataset.withColumn($(probabilityCol), p);
    return withP.withColumn($(predictionCol), argmax.apply(withP.col($(probabilityCol))));
  }

  @Override
  public TunedModel copy(ParamMap extra) {
    return copyValues(new TunedModel(uid, members, mean, scale), extra);
  }

  @Override
  public MLWriter write() {
    return new Writer(this);
  }

  public static MLReader<TunedModel> read() {
    return new Reader();
  }

  public static TunedModel load(String path) {
    return read().load(path);
  }

  private record Payload(Model network, double[] mean, double[] scale)
      implements java.io.Serializable {}

  private static final class Writer extends MLWriter {
    private final TunedModel model;

    Writer(TunedModel model) {
      this.model = model;
    }

    @Override
    public void saveImpl(String path) {
      SparkSession spark = sparkSession();
      try {
        Path root = new Path(path);
        FileSystem fs = root.getFileSystem(spark.sparkContext().hadoopConfiguration());
        fs.mkdirs(root);
        ObjectNode meta = JSON.createObjectNode();
        meta.put("class", TunedModel.class.getName());
        meta.put("format", FORMAT);
        meta.put("uid", model.uid);
        meta.put("sparkVersion", spark.version());
        meta.put("numFeatures", model.numFeatures());
        meta.put("numClasses", model.numClasses());
        meta.put("featuresCol", model.$(model.featuresCol));
        meta.put("predictionCol", model.$(model.predictionCol));
        meta.put("probabilityCol", model.$(model.probabilityCol));
        meta.put("members", model.members.size());
        String metadata = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(meta);
        try (OutputStream out = fs.create(new Path(root, "metadata.json"), true)) {
          out.write(metadata.getBytes(StandardCharsets.UTF_8));
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream oos = new ObjectOutputStream(bytes)) {
          oos.writeObject(new Payload(model.network(), model.mean, model.scale));
        }
        try (OutputStream out = fs.create(new Path(root, "network.bin"), true)) {
          out.write(bytes.toByteArray());
        }
        if (model.members.size() > 1) {
          ByteArrayOutputStream more = new ByteArrayOutputStream();
          try (ObjectOutputStream oos = new ObjectOutputStream(more)) {
            oos.writeObject(new ArrayList<>(model.members.subList(1, model.members.size())));
          }
          try (OutputStream out = fs.create(new Path(root, MEMBERS), true)) {
            out.write(more.toByteArray());
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot save the model to " + path, e);
      }
    }
  }

  private static final class Reader extends MLReader<TunedModel> {
    @Override
    public TunedModel load(String path) {
      SparkSession spark = sparkSession();
      try {
        Path root = new Path(path);
        FileSystem fs = root.getFileSystem(spark.sparkContext().hadoopConfiguration());
        JsonNode meta;
        try (InputStream in = fs.open(new Path(root, "metadata.json"))) {
          meta = JSON.readTree(in);
        }
        if (!FORMAT.equals(meta.path("format").asText())) {
          throw new IOException(
              path
                  + "/metadata.json: format must be "
                  + FORMAT
                  + ", got '"
                  + meta.path("format").asText()
                  + "'");
        }
        Payload payload;
        try (InputStream in = fs.open(new Path(root, "network.bin"));
            ObjectInputStream ois =
                new ObjectInputStream(new ByteArrayInputStream(in.readAllBytes()))) {
          payload = (Payload) ois.readObject();
        }
        List<Model> members = new ArrayList<>();
        members.add(payload.network());
        // A model saved before ensembles existed has no members file: it is its one network.
        if (meta.path("members").asInt(1) > 1) {
          try (InputStream in = fs.open(new Path(root, MEMBERS));
              ObjectInputStream ois =
                  new ObjectInputStream(new ByteArrayInputStream(in.readAllBytes()))) {
            for (Object m : (List<?>) ois.readObject()) {
              members.add((Model) m);
            }
          }
        }
        TunedModel model =
            new TunedModel(meta.path("uid").asText(), members, payload.mean(), payload.scale());
        model.setFeaturesCol(meta.path("featuresCol").asText("features"));
        model.setPredictionCol(meta.path("predictionCol").asText("prediction"));
        model.setProbabilityCol(meta.path("probabilityCol").asText("probability"));
        return model;
      } catch (IOException | ClassNotFoundException e) {
        throw new IllegalStateException("cannot load a Caviar model from " + path + ": " + e, e);
      }
    }
  }
}
