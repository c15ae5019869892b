package dev.caviar.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.caviar.config.StudyConfig;
import dev.caviar.config.StudySpec;
import dev.caviar.report.ResultTables;
import dev.caviar.report.StudyDirectory;
import dev.caviar.space.Domain;
import dev.caviar.space.Parameter;
import dev.caviar.space.SearchSpace;
import dev.caviar.spark.ExecutorBlas;
import dev.caviar.spark.SparkStudy;
import dev.caviar.spark.TunedModel;
import dev.caviar.spark.WorkPlan;
import dev.caviar.study.EpochRecord;
import dev.caviar.study.ReplicateScore;
import dev.caviar.study.RoundRecord;
import dev.caviar.study.RoundSpec;
import dev.caviar.study.Study;
import dev.caviar.study.StudySettings;
import dev.caviar.study.Trial;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;

/**
 * Issue 11's scale figures ({@code docs/scaling.md}).
 *
 * <ul>
 *   <li>{@code driver [executors]}: the driver's work for one round of 100, 1,000 and 10,000 trials
 *       with a runner that returns instantly (sampling, balancing the work over the tasks, telling
 *       and narrowing, formatting the round's text tables), the bytes the round broadcasts (trials
 *       and work plan) and the bytes each trial's score sends back; sharded layout over {@code
 *       executors} shards (default 1,000), and the broadcast layout (one task per trial).
 *   <li>{@code round}: one round of 32 trials of {@code conf/efficiency.conf} and its final model
 *       ({@code final.models = 2}) on the Spark master of {@code -Dspark.master}; prints the
 *       round's wall time, the final training time and a hash of the saved model's networks, which
 *       {@code jobs/bench-scaling} compares between {@code local[1]} and {@code local[2]}.
 * </ul>
 *
 * Prints {@code key=value} lines.
 */
public final class ScalingBenchmark {
  private ScalingBenchmark() {}

  public static void main(String[] args) throws Exception {
    String mode = args.length > 0 ? args[0] : "driver";
    switch (mode) {
      case "driver" -> driver(args.length > 1 ? Integer.parseInt(args[1]) : 1000);
      case "round" -> round(args.length > 1 ? args[1] : "target/bench-scaling/round");
      default -> throw new IllegalArgumentException("mode: driver or round, got " + mode);
    }
  }

  /** A space like Fashion-MNIST's: ten parameters, one conditional. */
  static SearchSpace space() {
    return SearchSpace.of(
        new Parameter("learningRate", new Domain.Log(3e-4, 3e-3)),
        new Parameter("layers", new Domain.IntUniform(1, 3)),
        new Parameter("units", new Domain.IntLog(256, 1024)),
        new Parameter("dropout", new Domain.Linear(0.1, 0.5)),
        new Parameter("l2", new Domain.Log(1e-6, 1e-3)),
        new Parameter("batchSize", new Domain.Pow2(64, 256)),
        new Parameter("beta1", new Domain.OneMinusLog(0.8, 0.99)),
        new Parameter("beta2", new Domain.OneMinusLog(0.99, 0.9999)),
        new Parameter("decay", new Domain.Choice(List.of("none", "inverseTime", "exponential"))),
        new Parameter("decayRate", new Domain.Log(0.01, 0.5)));
  }

  static void driver(int executors) throws IOException {
    int epochs = 4;
    for (int n : new int[] {100, 1_000, 10_000}) {
      // Warm the JIT on a small round first, then measure the median of three.
      measure(100, epochs, executors);
      long[][] runs = new long[3][];
      for (int r = 0; r < runs.length; r++) {
        runs[r] = measure(n, epochs, executors);
      }
      java.util.Arrays.sort(runs, java.util.Comparator.comparingLong((long[] x) -> x[0]));
      long[] m = runs[1];
      String p = "driver." + n + ".";
      System.out.printf(Locale.ROOT, "%stotal_ms=%.1f%n", p, m[0] / 1e6);
      System.out.printf(Locale.ROOT, "%sask_ms=%.1f%n", p, m[1] / 1e6);
      System.out.printf(Locale.ROOT, "%sbalance_sharded_ms=%.1f%n", p, m[2] / 1e6);
      System.out.printf(Locale.ROOT, "%sbalance_broadcast_ms=%.1f%n", p, m[3] / 1e6);
      System.out.printf(Locale.ROOT, "%stell_ms=%.1f%n", p, m[4] / 1e6);
      System.out.printf(Locale.ROOT, "%stables_ms=%.1f%n", p, m[5] / 1e6);
      System.out.printf(Locale.ROOT, "%strials_broadcast_bytes=%d%n", p, m[6]);
      System.out.printf(Locale.ROOT, "%sworkplan_sharded_bytes=%d%n", p, m[7]);
      System.out.printf(Locale.ROOT, "%sworkplan_broadcast_bytes=%d%n", p, m[8]);
      System.out.printf(Locale.ROOT, "%sbytes_back_per_trial=%d%n", p, m[9]);
      System.out.printf(Locale.ROOT, "%stable_bytes=%d%n", p, m[10]);
    }
  }

  /**
   * {total, ask, balance sharded, balance broadcast, tell, tables (nanos); trials bytes, sharded
   * plan bytes, broadcast plan bytes, bytes back per trial, table bytes}.
   */
  static long[] measure(int n, int epochs, int executors) throws IOException {
    StudySettings settings =
        StudySettings.of("scaling", 7, List.of(new RoundSpec(n, epochs), new RoundSpec(n, epochs)));
    Study study = Study.create(settings, space());
    long t0 = System.nanoTime();
    List<Trial> trials = study.ask();
    long t1 = System.nanoTime();
    double[] costs = new double[trials.size()];
    for (int i = 0; i < costs.length; i++) {
      costs[i] = cost(trials.get(i), epochs);
    }
    WorkPlan sharded = WorkPlan.balance(costs, 1, executors, true);
    long t2 = System.nanoTime();
    WorkPlan broadcast = WorkPlan.balance(costs, 1, trials.size(), false);
    long t3 = System.nanoTime();
    // The instant runner: every trial scored at once, with a learning curve as a real one has.
    List<ReplicateScore> scores = new ArrayList<>(trials.size());
    for (Trial t : trials) {
      SplittableRandom rng = new SplittableRandom(t.seedFor(0));
      List<EpochRecord> curve = new ArrayList<>();
      for (int e = 1; e <= epochs; e++) {
        curve.add(new EpochRecord(e, rng.nextDouble(), rng.nextDouble(), rng.nextDouble()));
      }
      double acc = curve.get(epochs - 1).validationAccuracy();
      scores.add(
          ReplicateScore.ok(
              t.round(), t.number(), 0, t.seedFor(0), acc, 1 - acc, 0.5, epochs, curve, 1_000));
    }
    long t4 = System.nanoTime();
    study.tellScores(scores);
    long t5 = System.nanoTime();
    RoundRecord rec = study.history().get(0);
    long tableBytes =
        ResultTables.trialsCsv(rec.results()).length()
            + ResultTables.trialsJson(rec.results()).length()
            + ResultTables.replicatesCsv(scores).length()
            + ResultTables.replicatesJsonLines(scores).length();
    long t6 = System.nanoTime();
    long total = (t1 - t0) + (t3 - t1) + (t5 - t4) + (t6 - t5);
    // A task's result: its scores plus where they ran; per trial when a task trains n/executors.
    int perTask = Math.max(1, n / executors);
    ArrayList<ReplicateScore> taskScores = new ArrayList<>(scores.subList(0, perTask));
    long back =
        serialized(
                new Object[] {
                  new ExecutorBlas("123", "dev.ludovic.netlib.blas.JNIBLAS", perTask), taskScores
                })
            / perTask;
    return new long[] {
      total,
      t1 - t0,
      t2 - t1,
      t3 - t2,
      t5 - t4,
      t6 - t5,
      serialized(new ArrayList<>(trials)),
      serialized(sharded),
      serialized(broadcast),
      back,
      tableBytes
    };
  }

  /** The runner's balancing cost: multiply-adds per example times epochs (no Spark needed). */
  static double cost(Trial t, int epochs) {
    int layers = ((Number) t.params().get("layers")).intValue();
    int units = ((Number) t.params().get("units")).intValue();
    int batch = ((Number) t.params().get("batchSize")).intValue();
    double macs = 784.0 * units + (layers - 1.0) * units * units + units * 10.0;
    return epochs * macs * (1 + 32.0 / batch);
  }

  static long serialized(Serializable o) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ObjectOutputStream s = new ObjectOutputStream(out)) {
      s.writeObject(o);
    }
    return out.size();
  }

  static void round(String out) throws Exception {
    List<String> overrides =
        List.of(
            "study.rounds=[{trials=32,epochs=1}]",
            "execution.layout=broadcast",
            "final.models=2",
            "output.dir=" + out);
    StudySpec spec = StudyConfig.load("conf/efficiency.conf", overrides);
    SparkStudy.Setup setup =
        new SparkStudy.Setup(
            spec.study(),
            spec.space(),
            spec.model(),
            spec.data(),
            spec.execution(),
            spec.output().dir(),
            spec.render());
    SparkSession spark = Caviar.session("scaling");
    try {
      long start = System.nanoTime();
      SparkStudy.Outcome o = SparkStudy.run(spark, setup, false, SparkStudy.Listener.NONE);
      double seconds = (System.nanoTime() - start) / 1e9;
      StudyDirectory dir = StudyDirectory.at(out, new Configuration());
      ObjectMapper json = new ObjectMapper();
      JsonNode timing = json.readTree(dir.readText(dir.roundPath(0) + "/timing.json"));
      JsonNode fin = json.readTree(dir.readText("best.json")).path("final");
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (dev.caviar.nn.Model m : TunedModel.load(o.modelPath()).members()) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (ObjectOutputStream s = new ObjectOutputStream(b)) {
          s.writeObject(m);
        }
        sha.update(b.toByteArray());
      }
      System.out.println("round.master=" + spark.sparkContext().master());
      System.out.println("round.cores=" + timing.path("cores").asInt());
      System.out.println("round.wall_ms=" + timing.path("wallMillis").asLong());
      System.out.println("round.busy=" + timing.path("busyFraction").asDouble());
      System.out.println("round.blas=" + timing.path("executors").toString());
      System.out.println("final.seconds=" + fin.path("trainingSeconds").asDouble());
      System.out.println("final.single_accuracy=" + fin.path("single").path("testAccuracy"));
      System.out.println("final.ensemble_accuracy=" + fin.path("ensemble").path("testAccuracy"));
      System.out.println("final.model_sha256=" + HexFormat.of().formatHex(sha.digest()));
      System.out.printf(Locale.ROOT, "study.seconds=%.1f%n", seconds);
    } finally {
      spark.stop();
    }
  }
}
