package dev.caviar.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.caviar.nn.Model;
import dev.caviar.nn.NetworkSpec;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsReader$;
import org.apache.spark.ml.util.DefaultParamsWriter$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * How a {@link TunedModel} is saved: Spark ML's layout, so that {@code Pipeline}, {@code
 * PipelineModel} and any tool that saves its stages by their {@code MLWritable} save and load it.
 *
 * <ul>
 *   <li>{@code metadata/}: one line of JSON as Spark's {@code DefaultParamsWriter} writes it
 *       (class, uid, Spark version, every param) plus {@code format}, {@code numFeatures}, {@code
 *       numClasses}, each member's network spec ({@code networks}), the standardisation ({@code
 *       standardization.mean}, {@code .scale}) and, for a model made by a study, {@code summary}
 *       (the study's {@code best.json});
 *   <li>{@code data/}: Parquet, one row per (member, layer): the weights, bias, batch-norm gamma
 *       and beta and running averages, as float arrays (null where a layer has none);
 *   <li>{@code summary/trials/}: Parquet, the study's trials (see {@link StudySummary}).
 * </ul>
 *
 * <p>The earlier layout ({@value #LEGACY_FORMAT}: {@code metadata.json} next to Java-serialised
 * networks) is still read.
 */
final class TunedModelFiles {
  static final String FORMAT = "caviar-tuned-model-2";
  static final String LEGACY_FORMAT = "caviar-tuned-model-1";
  private static final String LEGACY_METADATA = "metadata.json";
  private static final String LEGACY_MEMBERS = "members.bin";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String[] ARRAYS = {
    "weights", "bias", "gamma", "beta", "runningMean", "runningVar"
  };

  private TunedModelFiles() {}

  static MLWriter writer(TunedModel model) {
    return new Writer(model);
  }

  static MLReader<TunedModel> reader() {
    return new Reader();
  }

  private static StructType dataSchema() {
    StructType s =
        new StructType()
            .add("member", DataTypes.IntegerType, false)
            .add("layer", DataTypes.IntegerType, false);
    for (String a : ARRAYS) {
      s = s.add(a, DataTypes.createArrayType(DataTypes.FloatType, false), true);
    }
    return s;
  }

  private static final class Writer extends MLWriter {
    private final TunedModel model;

    Writer(TunedModel model) {
      this.model = model;
    }

    @Override
    public void saveImpl(String path) {
      SparkSession spark = sparkSession();
      try {
        ObjectNode meta =
            (ObjectNode)
                JSON.readTree(DefaultParamsWriter$.MODULE$.getMetadataToSave(model, spark));
        meta.put("format", FORMAT);
        meta.put("numFeatures", model.numFeatures());
        meta.put("numClasses", model.numClasses());
        ArrayNode networks = meta.putArray("networks");
        for (Model m : model.members()) {
          networks.add(JSON.valueToTree(m.spec()));
        }
        ObjectNode standardization = meta.putObject("standardization");
        standardization.set("mean", JSON.valueToTree(model.mean()));
        standardization.set("scale", JSON.valueToTree(model.scale()));
        if (model.hasSummary()) {
          meta.set("summary", JSON.readTree(model.summary().bestJson()));
        }
        spark
            .createDataset(List.of(JSON.writeValueAsString(meta)), Encoders.STRING())
            .coalesce(1)
            .write()
            .text(new Path(path, "metadata").toString());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot save the model's metadata to " + path, e);
      }
      List<Row> rows = new ArrayList<>();
      for (int i = 0; i < model.members().size(); i++) {
        List<Model.Layer> layers = model.members().get(i).layers();
        for (int k = 0; k < layers.size(); k++) {
          Model.Layer l = layers.get(k);
          rows.add(
              RowFactory.create(
                  i,
                  k,
                  l.weights(),
                  l.bias(),
                  l.gamma(),
                  l.beta(),
                  l.runningMean(),
                  l.runningVar()));
        }
      }
      spark
          .createDataFrame(rows, dataSchema())
          .coalesce(1)
          .write()
          .mode(SaveMode.ErrorIfExists)
          .parquet(new Path(path, "data").toString());
      if (model.hasSummary()) {
        StudySummary s = model.summary();
        spark
            .createDataFrame(s.rows(), s.schema())
            .coalesce(1)
            .write()
            .mode(SaveMode.ErrorIfExists)
            .parquet(new Path(path, "summary/trials").toString());
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
        if (fs.exists(new Path(root, LEGACY_METADATA))) {
          return loadLegacy(fs, root);
        }
        DefaultParamsReader.Metadata md =
            DefaultParamsReader$.MODULE$.loadMetadata(path, spark, TunedModel.class.getName());
        JsonNode meta = JSON.readTree(md.metadataJson());
        if (!FORMAT.equals(meta.path("format").asText())) {
          throw new IOException(
              "metadata: format must be "
                  + FORMAT
                  + ", got '"
                  + meta.path("format").asText()
                  + "'");
        }
        TreeMap<Integer, TreeMap<Integer, Model.Layer>> byMember = new TreeMap<>();
        for (Row r : spark.read().parquet(new Path(root, "data").toString()).collectAsList()) {
          float[][] arrays = new float[ARRAYS.length][];
          for (int a = 0; a < ARRAYS.length; a++) {
            int at = r.fieldIndex(ARRAYS[a]);
            arrays[a] = r.isNullAt(at) ? null : floats(r.getList(at));
          }
          byMember
              .computeIfAbsent(r.getInt(r.fieldIndex("member")), m -> new TreeMap<>())
              .put(
                  r.getInt(r.fieldIndex("layer")),
                  new Model.Layer(
                      arrays[0], arrays[1], arrays[2], arrays[3], arrays[4], arrays[5]));
        }
        JsonNode networks = meta.path("networks");
        if (byMember.size() != networks.size()) {
          throw new IOException(
              "data: holds "
                  + byMember.size()
                  + " members, the metadata's networks "
                  + networks.size());
        }
        List<Model> members = new ArrayList<>();
        for (var e : byMember.entrySet()) {
          NetworkSpec spec = JSON.treeToValue(networks.get(e.getKey()), NetworkSpec.class);
          members.add(Model.of(spec, new ArrayList<>(e.getValue().values())));
        }
        JsonNode standardization = meta.path("standardization");
        TunedModel model =
            new TunedModel(
                md.uid(),
                members,
                JSON.treeToValue(standardization.path("mean"), double[].class),
                JSON.treeToValue(standardization.path("scale"), double[].class));
        md.getAndSetParams(model, scala.Option.empty());
        if (meta.has("summary")) {
          Dataset<Row> stored = spark.read().parquet(new Path(root, "summary/trials").toString());
          List<Row> trials = new ArrayList<>(stored.collectAsList());
          trials.sort(
              Comparator.comparingInt((Row r) -> r.getInt(r.fieldIndex("round")))
                  .thenComparingInt(r -> r.getInt(r.fieldIndex("trial"))));
          String best =
              JSON.writerWithDefaultPrettyPrinter().writeValueAsString(meta.get("summary")) + "\n";
          model.setSummary(new StudySummary(stored.schema(), trials, best));
        }
        return model;
      } catch (IOException | IllegalArgumentException e) {
        throw new IllegalStateException("cannot load a Caviar model from " + path + ": " + e, e);
      }
    }

    private static float[] floats(List<Object> values) {
      float[] a = new float[values.size()];
      for (int i = 0; i < a.length; i++) {
        a[i] = (Float) values.get(i);
      }
      return a;
    }
  }

  /** The network and scaler of the first layout, Java-serialised. */
  private record Payload(Model network, double[] mean, double[] scale)
      implements java.io.Serializable {}

  /**
   * A model saved in the first layout, {@value #LEGACY_FORMAT}. Its payload class was {@code
   * TunedModel$Payload}; the stream names it so, and {@link LegacyStream} maps it here.
   */
  private static TunedModel loadLegacy(FileSystem fs, Path root) throws IOException {
    JsonNode meta;
    try (InputStream in = fs.open(new Path(root, LEGACY_METADATA))) {
      meta = JSON.readTree(in);
    }
    if (!LEGACY_FORMAT.equals(meta.path("format").asText())) {
      throw new IOException(
          LEGACY_METADATA
              + ": format must be "
              + LEGACY_FORMAT
              + ", got '"
              + meta.path("format").asText()
              + "'");
    }
    try {
      Payload payload;
      try (InputStream in = fs.open(new Path(root, "network.bin"));
          ObjectInputStream ois = new LegacyStream(in.readAllBytes())) {
        payload = (Payload) ois.readObject();
      }
      List<Model> members = new ArrayList<>();
      members.add(payload.network());
      // A model saved before ensembles existed has no members file: it is its one network.
      if (meta.path("members").asInt(1) > 1) {
        try (InputStream in = fs.open(new Path(root, LEGACY_MEMBERS));
            ObjectInputStream ois = new LegacyStream(in.readAllBytes())) {
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
    } catch (ClassNotFoundException e) {
      throw new IOException(e.toString(), e);
    }
  }

  /** Reads the first layout's stream, whose payload record was nested in {@code TunedModel}. */
  private static final class LegacyStream extends ObjectInputStream {
    private static final String OLD_PAYLOAD = TunedModel.class.getName() + "$Payload";

    LegacyStream(byte[] bytes) throws IOException {
      super(new ByteArrayInputStream(bytes));
    }

    @Override
    protected java.io.ObjectStreamClass readClassDescriptor()
        throws IOException, ClassNotFoundException {
      java.io.ObjectStreamClass d = super.readClassDescriptor();
      return d.getName().equals(OLD_PAYLOAD) ? java.io.ObjectStreamClass.lookup(Payload.class) : d;
    }
  }
}
