package dev.caviar.job;

import dev.caviar.config.DataSpec;
import dev.caviar.config.StudyConfig;
import dev.caviar.config.StudySpec;
import dev.caviar.data.DataException;
import dev.caviar.report.StudyDirectory;
import dev.caviar.report.StudyReport;
import dev.caviar.spark.NoUsableTrialException;
import dev.caviar.spark.SparkStudy;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
    subcommands = {
      Caviar.Tune.class,
      Show.class,
      Report.class,
      WatchCommand.class,
      ScoreCommand.class,
      FeedCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Caviar implements Runnable {
  public static final int BAD_INPUT = 2;
  public static final int NO_USABLE_TRIAL = 3;
  private static final Logger LOG = LoggerFactory.getLogger(Caviar.class);

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "name a command: tune, show, report, watch, score or feed");
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(defines(args)));
  }

  /**
   * The {@code -Dkey=value} form of an override (the form spark-submit users type, and the one the
   * README shows) made into the plain {@code key=value} that {@code tune} takes, in place, so that
   * later overrides still win whichever form they use. Arguments after {@code --} are left alone.
   */
  static String[] defines(String[] args) {
    String[] out = args.clone();
    for (int i = 0; i < out.length; i++) {
      if (out[i].equals("--")) {
        break;
      }
      if (DEFINE.matcher(out[i]).matches()) {
        out[i] = out[i].substring(2);
      }
    }
    return out;
  }

  private static final Pattern DEFINE =
      Pattern.compile("-D[A-Za-z][\\w.\\[\\]-]*=.*", Pattern.DOTALL);

  /**
   * Runs the command as {@link #main} does, writing to the given streams instead of the console.
   */
  public static int execute(String[] args, PrintWriter out, PrintWriter err) {
    return commandLine().setOut(out).setErr(err).execute(defines(args));
  }

  /**
   * The command line with Caviar's error handling, for tests. Every failure is one line on stderr
   * (a pipeline's log shows the cause, not a page of frames); the stack trace goes to the log file
   * (conf/log4j2.properties), at debug level for bad input and at error level for a bug.
   */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new Caviar());
    cl.setParameterExceptionHandler(
        (e, args) -> {
          PrintWriter err = e.getCommandLine().getErr();
          err.println(
              "caviar: error: "
                  + oneLine(e.getMessage())
                  + " (see: caviar "
                  + (e.getCommandLine().getParent() == null
                      ? ""
                      : e.getCommandLine().getCommandName() + " ")
                  + "--help)");
          err.flush();
          return BAD_INPUT;
        });
    cl.setExecutionExceptionHandler(
        (e, line, parsed) -> {
          PrintWriter err = line.getErr();
          // A reader's check that failed inside a Spark task arrives wrapped in Spark's exceptions.
          for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof DataException d) {
              LOG.debug("bad input", e);
              err.println("caviar: error: " + oneLine(d.getMessage()));
              err.flush();
              return BAD_INPUT;
            }
          }
          int exit;
          if (e instanceof IllegalArgumentException || e instanceof UncheckedIOException) {
            LOG.debug("bad input", e);
            err.println("caviar: error: " + oneLine(e.getMessage()));
            exit = BAD_INPUT;
          } else if (e instanceof NoUsableTrialException) {
            LOG.debug("no usable trial", e);
            err.println("caviar: no usable configuration: " + oneLine(e.getMessage()));
            exit = NO_USABLE_TRIAL;
          } else {
            // A bug: its trace is logged at error level, so a cluster's own logging keeps it too.
            LOG.error("failed", e);
            String log = System.getProperty(LOG_FILE);
            err.println(
                "caviar: failed: "
                    + oneLine(String.valueOf(e))
                    + (log == null ? "" : " (stack trace in " + log + ")"));
            exit = 1;
          }
          err.flush();
          return exit;
        });
    return cl;
  }

  /**
   * The system property naming the log file (jobs/caviar sets it; conf/log4j2.properties uses it).
   */
  static final String LOG_FILE = "caviar.log";

  private static String oneLine(String message) {
    return message == null ? "(no message)" : message.strip().replaceAll("\\s*\\R\\s*", " ");
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
        "configuration trained on the executors (one model per shard, or several seeds),",
        "or the last round's best networks (final.train = lastRound; continue: trained on",
        "for final.epochs on all rows), averaged, and scored on the test rows.",
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
        description = {
          "config overrides, e.g. study.seed=7 -Dexecution.replicas=2 (the -D is optional);",
          "later ones win"
        })
    List<String> overrides = new ArrayList<>();

    @CommandLine.Spec CommandLine.Model.CommandSpec command;

    @Override
    public Integer call() {
      List<String> all = withOut(overrides, out);
      // Config errors surface here, before Spark starts.
      StudySpec study = StudyConfig.load(conf, all);
      if (study.data().source() == DataSpec.Source.DATAFRAME) {
        throw new IllegalArgumentException(
            conf
                + ": data.source: dataframe is the DataFrame given to CaviarTuner.fit (Java, Spark"
                + " ML); a study of files sets it to synthetic, idx, csv, libsvm or parquet");
      }
      SparkStudy.Setup setup = SparkStudy.setup(study, hadoopConfiguration());
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
   * The command line's overrides, then {@code --out} (when given) as the last, winning one. Quoted:
   * a Hadoop URI ({@code hdfs://host/dir}) is not a HOCON unquoted string ({@code //} starts a
   * comment).
   */
  static List<String> withOut(List<String> overrides, String out) {
    List<String> all = new ArrayList<>(overrides);
    if (out != null) {
      all.add("output.dir=" + com.typesafe.config.ConfigUtil.quoteString(out));
    }
    return all;
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
