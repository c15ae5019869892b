package dev.caviar.spark;

import com.typesafe.config.ConfigUtil;
import dev.caviar.config.DataSpec;
import dev.caviar.config.StudyConfig;
import dev.caviar.config.StudyConfigException;
import dev.caviar.config.StudySpec;
import dev.caviar.data.DataException;
import dev.caviar.data.FrameSource;
import dev.caviar.report.StudyDirectory;
import dev.caviar.report.StudyReport;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A whole study as a Spark ML {@code Estimator}: {@code fit} tunes on a DataFrame (a vector column
 * and a numeric label column) with the rounds, seeds, narrowing and outputs of {@code caviar tune},
 * and returns the retrained best configuration as a {@link TunedModel}, its parent set, ready for a
 * {@code Pipeline}.
 *
 * <p>The study is a HOCON text ({@code study}) or file ({@code studyFile}) with exactly the keys of
 * {@code conf/README.md}, read and checked by the same reader, with the same messages; {@code
 * data.source} is {@code dataframe} unless it says otherwise (which it may not). {@code seed},
 * {@code validationFraction} and {@code outputDir}, when set, override {@code study.seed}, {@code
 * data.validationFraction} and {@code output.dir}. Without {@code outputDir} the study's tables go
 * to a temporary directory under {@code hadoop.tmp.dir} that {@code fit} deletes; the model keeps
 * its {@link StudySummary}. With it, the directory must be new or empty, as for the command line.
 *
 * <p>Bad input fails in {@code transformSchema} or at the start of {@code fit}, before any
 * training, with one message naming the param, the column or the config key.
 */
public final class CaviarTuner extends Estimator<TunedModel> implements DefaultParamsWritable {
  private static final long serialVersionUID = 1L;

  /** Beneath the study text: a tuner reads the DataFrame given to {@code fit}. */
  private static final String DEFAULTS = "data.source = dataframe";

  private final String uid;
  // Assigned after uid: a Param's parent is its owner's uid. Spark finds a stage's params through
  // its public no-argument methods returning Param.
  private final Param<String> featuresCol;
  private final Param<String> labelCol;
  private final Param<String> predictionCol;
  private final Param<String> probabilityCol;
  private final Param<String> rawPredictionCol;
  private final LongParam seed;
  private final Param<String> study;
  private final Param<String> studyFile;
  private final Param<String> outputDir;
  private final DoubleParam validationFraction;

  public CaviarTuner() {
    this(Identifiable$.MODULE$.randomUID("caviarTuner"));
  }

  /** The constructor Spark's reader calls with the saved uid. */
  public CaviarTuner(String uid) {
    this.uid = uid;
    featuresCol = new Param<>(this, "featuresCol", "features column: a vector of raw values");
    labelCol = new Param<>(this, "labelCol", "label column: the classes 0..C-1, numeric");
    predictionCol = new Param<>(this, "predictionCol", "the model's predicted class column");
    probabilityCol = new Param<>(this, "probabilityCol", "the model's class probabilities column");
    rawPredictionCol =
        new Param<>(this, "rawPredictionCol", "the model's averaged member probabilities column");
    seed = new LongParam(this, "seed", "the study seed; overrides study.seed when set");
    study =
        new Param<>(
            this,
            "study",
            "the study as HOCON text: the keys of conf/README.md (study.rounds, space, model,"
                + " execution, final, data.testFraction, ...)");
    studyFile =
        new Param<>(this, "studyFile", "the study as a HOCON file on the driver; instead of study");
    outputDir =
        new Param<>(
            this,
            "outputDir",
            "where the study writes its tables, report and model (any Hadoop path, new or"
                + " empty); overrides output.dir; unset: a temporary directory, deleted");
    validationFraction =
        new DoubleParam(
            this,
            "validationFraction",
            "share of each shard's rows that score trials, in (0, 1); overrides"
                + " data.validationFraction");
    setDefault(featuresCol, "features");
    setDefault(labelCol, "label");
    setDefault(predictionCol, "prediction");
    setDefault(probabilityCol, "probability");
    setDefault(rawPredictionCol, "rawPrediction");
  }

  @Override
  public String uid() {
    return uid;
  }

  public Param<String> featuresCol() {
    return featuresCol;
  }

  public Param<String> labelCol() {
    return labelCol;
  }

  public Param<String> predictionCol() {
    return predictionCol;
  }

  public Param<String> probabilityCol() {
    return probabilityCol;
  }

  public Param<String> rawPredictionCol() {
    return rawPredictionCol;
  }

  public LongParam seed() {
    return seed;
  }

  public Param<String> study() {
    return study;
  }

  public Param<String> studyFile() {
    return studyFile;
  }

  public Param<String> outputDir() {
    return outputDir;
  }

  public DoubleParam validationFraction() {
    return validationFraction;
  }

  public CaviarTuner setFeaturesCol(String value) {
    return (CaviarTuner) set(featuresCol, value);
  }

  public CaviarTuner setLabelCol(String value) {
    return (CaviarTuner) set(labelCol, value);
  }

  public CaviarTuner setPredictionCol(String value) {
    return (CaviarTuner) set(predictionCol, value);
  }

  public CaviarTuner setProbabilityCol(String value) {
    return (CaviarTuner) set(probabilityCol, value);
  }

  public CaviarTuner setRawPredictionCol(String value) {
    return (CaviarTuner) set(rawPredictionCol, value);
  }

  public CaviarTuner setSeed(long value) {
    return (CaviarTuner) set(seed, value);
  }

  public CaviarTuner setStudy(String hocon) {
    return (CaviarTuner) set(study, hocon);
  }

  public CaviarTuner setStudyFile(String path) {
    return (CaviarTuner) set(studyFile, path);
  }

  public CaviarTuner setOutputDir(String path) {
    return (CaviarTuner) set(outputDir, path);
  }

  public CaviarTuner setValidationFraction(double value) {
    return (CaviarTuner) set(validationFraction, value);
  }

  /**
   * The study this tuner runs, read and checked as {@code caviar tune} reads a config, with the set
   * params as overrides.
   *
   * @throws StudyConfigException naming the key (and the line of the text or file)
   */
  public StudySpec studySpec() {
    boolean text = isSet(study);
    boolean file = isSet(studyFile);
    if (text == file) {
      throw new IllegalArgumentException(
          text
              ? "study, studyFile: set one of the two, not both"
              : "study: set the study as HOCON text (setStudy) or a file (setStudyFile)");
    }
    String origin = text ? "study" : $(studyFile);
    List<String> overrides = new ArrayList<>();
    if (isSet(seed)) {
      overrides.add("study.seed=" + $(seed));
    }
    if (isSet(validationFraction)) {
      overrides.add("data.validationFraction=" + $(validationFraction));
    }
    if (isSet(outputDir)) {
      overrides.add("output.dir=" + ConfigUtil.quoteString($(outputDir)));
    }
    StudySpec spec =
        text
            ? StudyConfig.parse($(study), origin, overrides, DEFAULTS)
            : StudyConfig.load(Path.of($(studyFile)), overrides, DEFAULTS);
    if (spec.data().source() != DataSpec.Source.DATAFRAME) {
      throw new StudyConfigException(
          origin
              + ": data.source: CaviarTuner reads the DataFrame given to fit; remove data.source"
              + " or set it to dataframe, got "
              + spec.data().source().configName(),
          null);
    }
    return spec;
  }

  /**
   * The input columns must exist with their types (features a vector, label numeric), the output
   * columns must not exist yet, and the study must read; the model's columns are added.
   */
  @Override
  public StructType transformSchema(StructType schema) {
    try {
      FrameSource.checkSchema(schema, $(featuresCol), $(labelCol));
    } catch (DataException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    studySpec();
    List<String> names = Arrays.asList(schema.fieldNames());
    StructType out = schema;
    Object[][] outputs = {
      {predictionCol, DataTypes.DoubleType},
      {probabilityCol, SQLDataTypes.VectorType()},
      {rawPredictionCol, SQLDataTypes.VectorType()}
    };
    for (Object[] o : outputs) {
      @SuppressWarnings("unchecked")
      Param<String> p = (Param<String>) o[0];
      String name = $(p);
      if (name.isEmpty()) {
        continue;
      }
      if (names.contains(name)) {
        throw new IllegalArgumentException(
            p.name()
                + ": column '"
                + name
                + "' already exists; set "
                + p.name()
                + " to a new name");
      }
      out = out.add(new StructField(name, (org.apache.spark.sql.types.DataType) o[1], false, null));
    }
    return out;
  }

  /**
   * Runs the study on {@code dataset}'s rows and returns its model.
   *
   * @throws IllegalArgumentException (or {@code DataException}, {@code StudyConfigException}) for
   *     bad input, naming the param, column or key, before any training
   * @throws NoUsableTrialException when every trial of the last round diverged or failed
   */
  @Override
  public TunedModel fit(Dataset<?> dataset) {
    transformSchema(dataset.schema(), true);
    SparkSession spark = dataset.sparkSession();
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    StudySpec spec = studySpec();
    org.apache.hadoop.fs.Path temporary = null;
    if (!isSet(outputDir)) {
      temporary = temporaryDirectory(hadoop);
      spec = copy(ParamMap.empty()).setOutputDir(temporary.toString()).studySpec();
    }
    try {
      FrameSource frame = FrameSource.of(dataset, $(featuresCol), $(labelCol));
      SparkStudy.Outcome outcome =
          SparkStudy.run(
              spark, SparkStudy.setup(spec, hadoop), frame, false, SparkStudy.Listener.NONE);
      if (temporary == null) {
        writeReport(outcome.directory(), hadoop);
      }
      TunedModel model = TunedModel.load(outcome.modelPath());
      return copyValues(model, ParamMap.empty()).setParent(this);
    } finally {
      if (temporary != null) {
        delete(temporary, hadoop);
      }
    }
  }

  /**
   * The study's report, as {@code caviar tune} writes it. The results are already safe on disk, so
   * a report that cannot be drawn (a machine without fonts for java.awt) is a warning; {@code
   * caviar report DIR} retries it.
   */
  private static void writeReport(String directory, Configuration hadoop) {
    try {
      StudyReport.write(StudyDirectory.at(directory, hadoop));
    } catch (RuntimeException | LinkageError e) {
      org.slf4j.LoggerFactory.getLogger(CaviarTuner.class)
          .warn("the report could not be written; retry with: caviar report {}", directory, e);
    }
  }

  private TunedModel copyValues(TunedModel model, ParamMap extra) {
    return super.copyValues(model, extra);
  }

  /**
   * A new directory under {@code hadoop.tmp.dir}, on the default file system (HDFS on a cluster).
   */
  private org.apache.hadoop.fs.Path temporaryDirectory(Configuration hadoop) {
    org.apache.hadoop.fs.Path base = new org.apache.hadoop.fs.Path(hadoop.get("hadoop.tmp.dir"));
    try {
      FileSystem fs = base.getFileSystem(hadoop);
      return fs.makeQualified(
          new org.apache.hadoop.fs.Path(
              base, "caviar-tuner-" + uid + "-" + Long.toHexString(System.nanoTime())));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("hadoop.tmp.dir: cannot be used: " + base, e);
    }
  }

  private static void delete(org.apache.hadoop.fs.Path dir, Configuration hadoop) {
    try {
      dir.getFileSystem(hadoop).delete(dir, true);
    } catch (IOException e) {
      org.slf4j.LoggerFactory.getLogger(CaviarTuner.class)
          .warn("cannot delete the temporary study directory {}", dir, e);
    }
  }

  @Override
  public CaviarTuner copy(ParamMap extra) {
    return defaultCopy(extra);
  }

  /** The reader {@code Pipeline.load} finds by reflection (Spark's {@code MLReadable}). */
  public static MLReader<CaviarTuner> read() {
    return new DefaultParamsReader<>();
  }

  public static CaviarTuner load(String path) {
    return read().load(path);
  }
}
