package dev.caviar.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.caviar.config.ExecutionSpec.Layout;
import dev.caviar.config.Hyperparameters;
import dev.caviar.config.StudyConfig;
import dev.caviar.config.StudySpec;
import dev.caviar.data.Datasets;
import dev.caviar.data.LoadedData;
import dev.caviar.data.PackedShard;
import dev.caviar.nn.DataView;
import dev.caviar.nn.EpochListener;
import dev.caviar.nn.Model;
import dev.caviar.nn.NetworkSpec;
import dev.caviar.nn.TrainingResult;
import dev.caviar.nn.TrainingRun;
import dev.caviar.study.Objective;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.apache.spark.sql.SparkSession;

/**
 * How many epochs {@code final.train = continue} should add: takes a finished study (broadcast
 * layout, local directory), trains its last round's best {@code --top} networks again from their
 * replicate seeds (checking that each reaches the validation metric the round recorded), then
 * continues each on all training rows for up to {@code --epochs} epochs, and prints the test
 * accuracy of every network and of their average after each continued epoch.
 *
 * <p>Usage: {@code FinalStepBenchmark --study DIR [--top K] [--epochs N] [--threads T] [--rate F]}
 * ({@code --rate}: the continued epochs' learning rate as a share of the schedule's). Prints {@code
 * key=value} lines; {@code jobs/bench-final} runs it.
 */
public final class FinalStepBenchmark {
  private static final ObjectMapper JSON = new ObjectMapper();

  private FinalStepBenchmark() {}

  /** One of the last round's trials: its values, its replicate's seed and recorded score. */
  record Candidate(int trial, Map<String, Object> params, int epochs, long seed, double recorded) {}

  public static void main(String[] args) throws Exception {
    Path study = null;
    int top = 2;
    int epochs = 10;
    int threads = 2;
    double rate = 1;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--study" -> study = Path.of(args[++i]);
        case "--top" -> top = Integer.parseInt(args[++i]);
        case "--epochs" -> epochs = Integer.parseInt(args[++i]);
        case "--threads" -> threads = Integer.parseInt(args[++i]);
        case "--rate" -> rate = Double.parseDouble(args[++i]);
        default ->
            throw new IllegalArgumentException("FinalStepBenchmark: unknown option " + args[i]);
      }
    }
    if (study == null) {
      throw new IllegalArgumentException("FinalStepBenchmark: --study DIR is required");
    }
    StudySpec spec = StudyConfig.load(study.resolve("config.conf"), List.of());
    if (spec.execution().layout() != Layout.BROADCAST) {
      throw new IllegalArgumentException(
          "FinalStepBenchmark: the study must use the broadcast layout (one network per trial)");
    }
    JsonNode data = JSON.readTree(study.resolve("data.json").toFile());
    List<Candidate> candidates = lastRoundBest(study, spec, top);
    SparkSession spark = Caviar.session("final-step-benchmark");
    try {
      LoadedData loaded =
          Datasets.load(spark, spec.data(), spec.study().seed(), data.path("shards").asInt());
      run(spec, loaded, candidates, epochs, threads, rate);
    } finally {
      spark.stop();
    }
  }

  /** The last round's best {@code top} OK trials, best first, from its trials and replicates. */
  static List<Candidate> lastRoundBest(Path study, StudySpec spec, int top) throws IOException {
    Path rounds = study.resolve("rounds");
    Path last;
    try (var list = Files.list(rounds)) {
      last =
          list.filter(p -> p.getFileName().toString().startsWith("round-"))
              .max(Comparator.naturalOrder())
              .orElseThrow(() -> new IllegalArgumentException("no round under " + rounds));
    }
    Map<Integer, Long> seeds = new TreeMap<>();
    for (String line : Files.readAllLines(last.resolve("replicates.jsonl"))) {
      JsonNode r = JSON.readTree(line);
      if (r.path("shard").asInt() == 0) {
        seeds.put(r.path("trial").asInt(), r.path("seed").asLong());
      }
    }
    List<Candidate> all = new ArrayList<>();
    for (JsonNode t : JSON.readTree(last.resolve("trials.json").toFile())) {
      if (!"OK".equals(t.path("status").asText())) {
        continue;
      }
      Map<String, Object> params = new TreeMap<>(spec.model());
      t.path("params")
          .fields()
          .forEachRemaining(
              e ->
                  params.put(
                      e.getKey(),
                      e.getValue().isNumber()
                          ? e.getValue().numberValue()
                          : e.getValue().asText()));
      int trial = t.path("trial").asInt();
      all.add(
          new Candidate(
              trial,
              params,
              t.path("epochs").asInt(),
              seeds.get(trial),
              t.path("mean").asDouble()));
    }
    Objective metric = spec.study().metric();
    all.sort(Comparator.comparingDouble((Candidate c) -> metric.score(c.recorded())).reversed());
    return all.subList(0, Math.min(top, all.size()));
  }

  private static void run(
      StudySpec spec,
      LoadedData loaded,
      List<Candidate> candidates,
      int epochs,
      int threads,
      double rateScale)
      throws Exception {
    PackedShard set = loaded.trainingSet();
    PackedShard test = loaded.testSet();
    DataView train = new DataView(set.features(), set.labels(), set.width(), set.trainRows());
    DataView validation =
        new DataView(set.features(), set.labels(), set.width(), set.validationRows());
    PackedShard whole = set.allRowsTraining();
    DataView all = new DataView(whole.features(), whole.labels(), whole.width(), whole.trainRows());
    DataView testRows =
        new DataView(
            test.features(),
            test.labels(),
            test.width(),
            IntStream.range(0, test.labels().length).toArray());
    int classes = set.classes();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<float[][]>> futures = new ArrayList<>();
    for (Candidate c : candidates) {
      futures.add(
          pool.submit(
              () -> {
                NetworkSpec ns =
                    Hyperparameters.toSpec(
                        c.params(),
                        set.width(),
                        classes,
                        c.epochs(),
                        spec.study().divergenceFactor());
                float[][] probabilities = new float[epochs + 1][testRows.size() * classes];
                long start = System.nanoTime();
                TrainingRun run =
                    TrainingRun.start(ns, train, validation, c.seed())
                        .advance(Integer.MAX_VALUE, EpochListener.NONE);
                TrainingResult r = run.result();
                if (r.diverged()) {
                  throw new IllegalStateException(
                      "trial " + c.trial() + " diverged: " + r.reason());
                }
                r.model().predictProbabilities(testRows, probabilities[0]);
                double metricValue =
                    spec.study().metric() == Objective.ACCURACY
                        ? r.validationAccuracy()
                        : r.validationLoss();
                System.out.printf(
                    Locale.ROOT,
                    "trial=%d seed=%d validation=%.4f recorded=%.4f reproduced=%b"
                        + " test_after_round=%.4f seconds=%.0f%n",
                    c.trial(),
                    c.seed(),
                    metricValue,
                    c.recorded(),
                    metricValue == c.recorded(),
                    r.model().evaluate(testRows).accuracy(),
                    (System.nanoTime() - start) / 1e9);
                TrainingRun more = run.continueOn(all, epochs, rateScale);
                for (int e = 1; e <= epochs; e++) {
                  more.advance(c.epochs() + e, EpochListener.NONE);
                  Model m = more.result().model();
                  m.predictProbabilities(testRows, probabilities[e]);
                  System.out.printf(
                      Locale.ROOT,
                      "trial=%d continued=%d test=%.4f seconds=%.0f%n",
                      c.trial(),
                      e,
                      m.evaluate(testRows).accuracy(),
                      (System.nanoTime() - start) / 1e9);
                }
                return probabilities;
              }));
    }
    List<float[][]> members = new ArrayList<>();
    for (Future<float[][]> f : futures) {
      members.add(f.get());
    }
    pool.shutdown();
    for (int e = 0; e <= epochs; e++) {
      System.out.printf(
          Locale.ROOT,
          "ensemble continued=%d members=%d test=%.4f%n",
          e,
          members.size(),
          ensembleAccuracy(members, e, testRows, classes));
    }
  }

  static double ensembleAccuracy(List<float[][]> members, int e, DataView rows, int classes) {
    int correct = 0;
    for (int i = 0; i < rows.size(); i++) {
      int best = 0;
      double bestSum = Double.NEGATIVE_INFINITY;
      for (int k = 0; k < classes; k++) {
        double sum = 0;
        for (float[][] m : members) {
          sum += m[e][i * classes + k];
        }
        if (sum > bestSum) {
          bestSum = sum;
          best = k;
        }
      }
      correct += best == rows.labels()[rows.row(i)] ? 1 : 0;
    }
    return (double) correct / rows.size();
  }
}
