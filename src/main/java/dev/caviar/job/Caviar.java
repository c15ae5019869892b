package dev.caviar.job;

import dev.caviar.config.StudyConfig;
import dev.caviar.config.StudySpec;
import dev.caviar.data.DataException;
import dev.caviar.report.StudyDirectory;
import dev.caviar.report.StudyReport;
import dev.caviar.space.Region;
import dev.caviar.spark.NoUsableTrialException;
import dev.caviar.spark.SparkStudy;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The {@code caviar} command: {@code tune} runs or resumes a study, {@code show} prints a finished
 * (or interrupted) one, {@code report} writes its HTML report (as {@code tune} does at its end).
 * Exit codes: 0 success, 2 bad input (config, data, output directory), 3 a study that ran but kept
 * no configuration (every trial diverged or failed), 1 anything else.
 */
@Command(
    name = "caviar",
    mixinStandardHelpOptions = true,
    versionProvider = Caviar.Version.class,
    description = "Hyperparameter tuning for batch-normalised networks on Apache Spark.",
    subcommands = {Caviar.Tune.class, Show.class, Report.class, CommandLine.HelpCommand.class})
public final class Caviar implements Runnable {
  public static final int BAD_INPUT = 2;
  public static final int NO_USABLE_TRIAL = 3;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "name a command: tune, show or report");
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The command line with Caviar's error handling, for tests. */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new Caviar());
    cl.setExecutionExceptionHandler(
        (e, line, parsed) -> {
          PrintWriter err = line.getErr();
          if (e instanceof IllegalArgumentException
              || e instanceof DataException
              || e instanceof UncheckedIOException) {
            err.println("caviar: error: " + e.getMessage());
            return BAD_INPUT;
          }
          if (e instanceof NoUsableTrialException) {
            err.println("caviar: no usable configuration: " + e.getMessage());
            return NO_USABLE_TRIAL;
          }
          err.println("caviar: failed: " + e);
          e.printStackTrace(err);
          return 1;
        });
    return cl;
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {
        "caviar " + SparkStudy.caviarVersion(),
        "spark " + org.apache.spark.package$.MODULE$.SPARK_VERSION()
      };
    }
  }

  @Command(
      name = "tune",
      mixinStandardHelpOptions = true,
      description = {
        "Runs a study: rounds of random search, narrowed coarse to fine, then the best",
        "configuration retrained on all training rows and scored on the test rows.",
        "With no Spark master set (spark-submit sets one) it runs in local[*] mode."
      })
  static final class Tune implements Callable<Integer> {
    @Option(
        names = "--conf",
        paramLabel = "FILE",
        defaultValue = "${env:CAVIAR_HOME:-.}/conf/quickstart.conf",
        description = "study config (HOCON; default: ${DEFAULT-VALUE})")
    String conf;

    @Option(names = "--out", paramLabel = "DIR", description = "output directory (output.dir)")
    String out;

    @Option(names = "--resume", description = "continue the study in the output directory")
    boolean resume;

    @Parameters(
        paramLabel = "key=value",
        arity = "0..*",
        description = "config overrides, e.g. study.seed=7 execution.replicas=2")
    List<String> overrides = new ArrayList<>();

    @CommandLine.Spec CommandLine.Model.CommandSpec command;

    @Override
    public Integer call() {
      List<String> all = new ArrayList<>(overrides);
      if (out != null) {
        // Quoted: a Hadoop URI (hdfs://host/dir) is not a HOCON unquoted string ("//" starts a
        // comment).
        all.add("output.dir=" + com.typesafe.config.ConfigUtil.quoteString(out));
      }
      // Config errors surface here, before Spark starts.
      StudySpec study = StudyConfig.load(conf, all);
      Region start = null;
      if (study.warmStart() != null) {
        start = SparkStudy.finalRegion(StudyDirectory.at(study.warmStart(), hadoopConfiguration()));
        try {
          start.checkAgainst(study.space());
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(
              "study.warmStart: the region of "
                  + study.warmStart()
                  + " does not fit this"
                  + " space: "
                  + e.getMessage(),
              e);
        }
      }
      SparkStudy.Setup setup =
          new SparkStudy.Setup(
              study.study(),
              study.space(),
              study.model(),
              study.data(),
              study.execution(),
              study.output().dir(),
              study.render(),
              start);
      PrintWriter console = command.commandLine().getOut();
      // A session that already exists (a notebook's, a test's) is borrowed, not stopped.
      boolean borrowed = SparkSession.getDefaultSession().isDefined();
      SparkSession spark = session(study.study().name());
      try {
        SparkStudy.Outcome outcome =
            SparkStudy.run(spark, setup, resume, new ConsoleProgress(console));
        ConsoleProgress.printOutcome(console, outcome);
        writeReport(console, command.commandLine().getErr(), spark, outcome.directory());
        return 0;
      } finally {
        if (!borrowed) {
          spark.stop();
        }
      }
    }
  }

  /**
   * The report of a finished study. Its results are already safe on disk, so a report that cannot
   * be drawn (e.g. a machine without fonts for java.awt) is a warning, not a failed study; {@code
   * caviar report DIR} retries it.
   */
  static void writeReport(PrintWriter out, PrintWriter err, SparkSession spark, String directory) {
    try {
      String path =
          StudyReport.write(
              StudyDirectory.at(directory, spark.sparkContext().hadoopConfiguration()));
      out.println("report: " + path);
    } catch (RuntimeException | LinkageError e) {
      err.println(
          "caviar: warning: the report could not be written ("
              + e
              + "); the study's results are complete; retry with: caviar report "
              + directory);
    }
    out.flush();
    err.flush();
  }

  /**
   * The Hadoop configuration Spark uses: the running session's, or, before or without a session
   * ({@code show}, {@code report}, a warm start's directory), one built the way Spark builds it
   * from the {@code spark.hadoop.*} settings (spark-submit's {@code --conf}, {@code -D}). A bare
   * {@code new Configuration()} would miss them, e.g. the {@code fs.defaultFS} that {@code
   * hdfs:///study} resolves against.
   */
  static Configuration hadoopConfiguration() {
    scala.Option<SparkSession> running = SparkSession.getDefaultSession();
    if (running.isDefined()) {
      return running.get().sparkContext().hadoopConfiguration();
    }
    Configuration conf = new Configuration();
    for (scala.Tuple2<String, String> kv : new SparkConf().getAllWithPrefix("spark.hadoop.")) {
      conf.set(kv._1(), kv._2());
    }
    return conf;
  }

  /** The session spark-submit configured, or an embedded {@code local[*]} one. */
  static SparkSession session(String studyName) {
    SparkConf conf = new SparkConf();
    SparkSession.Builder b =
        SparkSession.builder()
            .appName("caviar: " + studyName)
            .config("spark.ui.showConsoleProgress", "false")
            // One BLAS thread per task: Spark already runs one task per core.
            .config("spark.executorEnv.OPENBLAS_NUM_THREADS", "1")
            .config("spark.executorEnv.OMP_NUM_THREADS", "1");
    if (!conf.contains("spark.master")) {
      b.master("local[*]").config("spark.driver.host", "127.0.0.1");
    }
    SparkSession spark = b.getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    return spark;
  }
}
