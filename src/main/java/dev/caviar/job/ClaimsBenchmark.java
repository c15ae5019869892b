package dev.caviar.job;

import dev.caviar.config.StudyConfig;
import dev.caviar.data.Datasets;
import dev.caviar.data.LoadedData;
import dev.caviar.data.PackedShard;
import dev.caviar.nn.DataView;
import dev.caviar.nn.NetworkSpec;
import dev.caviar.nn.Trainer;
import dev.caviar.nn.TrainingResult;
import dev.caviar.space.Domain;
import dev.caviar.space.Parameter;
import dev.caviar.space.SearchSpace;
import dev.caviar.spark.Networks;
import dev.caviar.study.Confirm;
import dev.caviar.study.FunctionRunner;
import dev.caviar.study.Objective;
import dev.caviar.study.RoundSpec;
import dev.caviar.study.Stopping;
import dev.caviar.study.Study;
import dev.caviar.study.StudySettings;
import dev.caviar.study.Trial;
import dev.caviar.study.TrialResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.spark.sql.SparkSession;

/**
 * Issue 14: the course's tuning claims as paired experiments at equal budget ({@code
 * jobs/bench-claims}, docs/benchmarks.md "The course's claims"). Each claim runs two arms of a
 * {@link Study} with the same study seed, the same data and the same number of trainings x epochs;
 * a trial is a real training of the engine on the training rows, scored on the validation rows. Per
 * claim: mean +- std over the seeds of each arm's figure, and how often each arm won.
 *
 * <ul>
 *   <li>random vs grid, 9 trials, when one of two parameters matters (the learning rate; Adam's
 *       epsilon in [1e-10, 1e-7] barely does): best validation accuracy;
 *   <li>log vs linear sampling of the learning rate in [1e-5, 1]: best validation accuracy;
 *   <li>log of 1-beta vs linear beta, SGD with momentum beta in [0.9, 0.9999] (learning rate drawn
 *       log-uniformly in both arms): best validation accuracy;
 *   <li>coarse to fine (two rounds of 12, the second in the narrowed region) vs one round of 24
 *       random trials, learning rate and L2: best validation accuracy;
 *   <li>confirming the leaders (two rounds of 10, each round's best 3 trained on a second seed and
 *       ranked on the mean) vs one seed per trial (two rounds of 13), learning rate and L2: the
 *       winner's validation accuracy trained again from {@value #FRESH} seeds it never had (the
 *       best score seen would favour the arm that looked at more lucky seeds);
 *   <li>batch norm vs none, plain SGD, learning rate log-uniform in [1e-4, 10], the same trials in
 *       both arms: the share of trials within 1 point of accuracy of the better arm's best, overall
 *       and per decade of learning rate.
 * </ul>
 *
 * <pre>
 * ClaimsBenchmark [--seeds N] [--small] [--data synthetic|fashion|all] [--threads T] [--claim P]
 * </pre>
 *
 * {@code --claim P} runs only the claims whose name starts with P. Synthetic: the quickstart source
 * (8,000 rows, 20 features, 4 classes). Fashion-MNIST: the first 10,000 training rows of {@code
 * conf/fashion-mnist.conf}'s data (2,000 with {@code --small}), standardised and split by Caviar's
 * loader.
 *
 * <p>Over 400 lines as one program: the claims' arms, the runs and the table they print belong
 * together (each claim's figure is read by the same table code), and nothing outside the benchmark
 * uses them.
 */
public final class ClaimsBenchmark {
  private ClaimsBenchmark() {}

  /** One data set: training and validation views over the same packed rows. */
  record Data(String name, DataView train, DataView validation, int width, int classes) {}

  /** One side of a claim: its search space, sampler, rounds and fixed model values. */
  record Arm(String name, SearchSpace space, String sampler, List<RoundSpec> rounds) {}

  /** What a claim compares, and the model values both arms share. */
  record Claim(String name, Arm a, Arm b, Map<String, Object> fixedA, Map<String, Object> fixedB) {
    boolean bySpread() {
      return name.startsWith("batch norm");
    }

    /** Judged by what the winner is worth, not by the best score seen. */
    boolean byWinner() {
      return name.startsWith("confirming");
    }
  }

  /**
   * The trial results of one arm of one claim for one seed.
   *
   * @param winner the study's winner trained again from {@link #FRESH} seeds it never trained with:
   *     the mean of their validation accuracies (NaN unless the claim is judged so)
   */
  record Outcome(List<TrialResult> results, double winner) {
    double best() {
      return results.stream()
          .mapToDouble(r -> r.score() == Double.NEGATIVE_INFINITY ? Double.NaN : r.mean())
          .filter(v -> !Double.isNaN(v))
          .max()
          .orElse(0);
    }
  }

  static final double WITHIN = 0.01;

  /** Seeds the winner of a claim judged by its winner is trained again with. */
  static final int FRESH = 3;

  static final int DECADES_FROM = -4;
  static final int DECADES_TO = 1;

  public static void main(String[] args) throws Exception {
    int seeds = 5;
    boolean small = false;
    String which = "all";
    int threads = 2;
    String only = "";
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--seeds" -> seeds = Integer.parseInt(args[++i]);
        case "--small" -> small = true;
        case "--data" -> which = args[++i];
        case "--threads" -> threads = Integer.parseInt(args[++i]);
        case "--claim" -> only = args[++i];
        default -> throw new IllegalArgumentException("ClaimsBenchmark: unknown option " + args[i]);
      }
    }
    List<Data> data = new ArrayList<>();
    SparkSession spark = Caviar.session("claims");
    try {
      if (!which.equals("fashion")) {
        data.add(load(spark, "conf/quickstart.conf", "synthetic", small ? 2000 : 0));
      }
      if (!which.equals("synthetic")) {
        data.add(load(spark, "conf/fashion-mnist.conf", "fashion", small ? 2000 : 10_000));
      }
    } finally {
      spark.stop();
    }
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      System.out.println(
          "| claim | data | figure | arm A | A: mean ± std | arm B | B: mean ± std"
              + " | A won / B won / tied | holds? | wall |");
      System.out.println("|---|---|---|---|---|---|---|---|---|---|");
      List<String> decades = new ArrayList<>();
      for (Data d : data) {
        for (Claim c : claims(d, small)) {
          if (!c.name().startsWith(only)) {
            continue;
          }
          long start = System.nanoTime();
          List<Future<Outcome[]>> runs = new ArrayList<>();
          for (int s = 1; s <= seeds; s++) {
            long seed = s;
            runs.add(
                pool.submit(
                    () ->
                        new Outcome[] {
                          run(c.a(), c.fixedA(), d, seed, c.byWinner()),
                          run(c.b(), c.fixedB(), d, seed, c.byWinner())
                        }));
          }
          List<Outcome[]> pairs = new ArrayList<>();
          for (Future<Outcome[]> f : runs) {
            pairs.add(f.get());
          }
          System.out.println(row(c, d, pairs, (System.nanoTime() - start) / 1e9));
          if (c.bySpread()) {
            decades.add(decadeTable(c, d, pairs));
          }
        }
      }
      decades.forEach(System.out::print);
    } finally {
      pool.shutdown();
    }
  }

  static Data load(SparkSession spark, String conf, String name, int limit) {
    var spec = StudyConfig.load(conf, List.of());
    LoadedData loaded = Datasets.load(spark, spec.data(), 7, 1);
    PackedShard set = loaded.trainingSet();
    int rows = set.labels().length;
    int n = limit > 0 ? Math.min(limit, rows) : rows;
    int[] train = Arrays.stream(set.trainRows()).filter(r -> r < n).toArray();
    int[] validation = Arrays.stream(set.validationRows()).filter(r -> r < n).toArray();
    System.err.printf(
        Locale.ROOT,
        "# %s: %d training rows, %d validation rows, %d features, %d classes%n",
        name,
        train.length,
        validation.length,
        set.width(),
        set.classes());
    return new Data(
        name,
        new DataView(set.features(), set.labels(), set.width(), train),
        new DataView(set.features(), set.labels(), set.width(), validation),
        set.width(),
        set.classes());
  }

  static List<Claim> claims(Data d, boolean small) {
    boolean fashion = d.name().equals("fashion");
    int epochs = fashion ? (small ? 1 : 2) : 3;
    Map<String, Object> model = new TreeMap<>();
    model.put("layers", 2);
    model.put("units", fashion ? (small ? 64 : 128) : 32);
    model.put("batchSize", 64);
    model.put("optimizer", "adam");
    List<RoundSpec> nine = List.of(new RoundSpec(9, epochs));
    List<RoundSpec> twelve = List.of(new RoundSpec(12, epochs));
    Parameter lr = new Parameter("learningRate", new Domain.Log(1e-4, 1e-1));
    Parameter eps = new Parameter("epsilon", new Domain.Log(1e-10, 1e-7));
    SearchSpace two = SearchSpace.of(lr, eps);

    Parameter lrLog = new Parameter("learningRate", new Domain.Log(1e-5, 1));
    Parameter lrLinear = new Parameter("learningRate", new Domain.Linear(1e-5, 1));

    Map<String, Object> momentum = new TreeMap<>(model);
    momentum.put("optimizer", "momentum");
    Parameter sgdRate = new Parameter("learningRate", new Domain.Log(1e-3, 1));
    Parameter betaLog = new Parameter("momentum", new Domain.OneMinusLog(0.9, 0.9999));
    Parameter betaLinear = new Parameter("momentum", new Domain.Linear(0.9, 0.9999));

    SearchSpace rateAndL2 = SearchSpace.of(lrLog, new Parameter("l2", new Domain.Log(1e-5, 10)));

    Map<String, Object> sgd = new TreeMap<>(model);
    sgd.put("optimizer", "sgd");
    Map<String, Object> sgdNoBn = new TreeMap<>(sgd);
    sgdNoBn.put("batchNorm", false);
    SearchSpace wide = SearchSpace.of(new Parameter("learningRate", new Domain.Log(1e-4, 10)));
    List<RoundSpec> twenty = List.of(new RoundSpec(20, epochs));
    return List.of(
        new Claim(
            "random beats grid (1 of 2 parameters matters)",
            new Arm("random 9", two, "random", nine),
            new Arm("grid 3x3", two, "grid", nine),
            model,
            model),
        new Claim(
            "log beats linear for the learning rate",
            new Arm("log [1e-5, 1]", SearchSpace.of(lrLog), "random", twelve),
            new Arm("linear [1e-5, 1]", SearchSpace.of(lrLinear), "random", twelve),
            model,
            model),
        new Claim(
            "log of 1-beta beats linear beta",
            new Arm("log 1-beta [0.9, 0.9999]", SearchSpace.of(sgdRate, betaLog), "random", twelve),
            new Arm("linear beta", SearchSpace.of(sgdRate, betaLinear), "random", twelve),
            momentum,
            momentum),
        new Claim(
            "coarse to fine beats one round",
            new Arm(
                "2 rounds x 12",
                rateAndL2,
                "random",
                List.of(new RoundSpec(12, epochs), new RoundSpec(12, epochs))),
            new Arm("1 round x 24", rateAndL2, "random", List.of(new RoundSpec(24, epochs))),
            model,
            model),
        new Claim(
            "confirming the leaders picks a better winner",
            new Arm(
                "2 x 10, best 3 confirmed to 2 seeds",
                rateAndL2,
                "random",
                List.of(
                    new RoundSpec(10, epochs, new Confirm(3, 2)),
                    new RoundSpec(10, epochs, new Confirm(3, 2)))),
            new Arm(
                "2 x 13, one seed each",
                rateAndL2,
                "random",
                List.of(new RoundSpec(13, epochs), new RoundSpec(13, epochs))),
            model,
            model),
        new Claim(
            "batch norm widens the good learning rates",
            new Arm("batch norm", wide, "random", twenty),
            new Arm("no batch norm", wide, "random", twenty),
            sgd,
            sgdNoBn));
  }

  static Outcome run(Arm arm, Map<String, Object> fixed, Data d, long seed, boolean byWinner) {
    StudySettings settings =
        new StudySettings(
            "claims",
            seed,
            arm.rounds(),
            0.25,
            StudySettings.DEFAULT_MARGIN,
            arm.rounds().size() > 1 ? StudySettings.DEFAULT_CARRY : 0,
            Objective.ACCURACY,
            StudySettings.DEFAULT_DIVERGENCE_FACTOR,
            arm.sampler(),
            StudySettings.DEFAULT_MIN_WIDTH,
            StudySettings.DEFAULT_CHOICE_FLOOR,
            Stopping.NONE,
            StudySettings.DEFAULT_CARRIED);
    FunctionRunner runner =
        new FunctionRunner(
            Objective.ACCURACY, 1, (trial, shard, rng) -> train(trial, shard, fixed, d));
    Study study = Study.create(settings, arm.space()).run(runner);
    List<TrialResult> all = new ArrayList<>();
    study.history().forEach(r -> all.addAll(r.results()));
    double winner = Double.NaN;
    if (byWinner) {
      // Seeds far past any replicate the study trained: what the configuration is worth, not
      // what its luckiest seed showed.
      Trial w = study.best().map(b -> b.winner().trial()).orElse(null);
      double sum = 0;
      for (int k = 0; k < FRESH && w != null; k++) {
        double v = train(w, 1000 + k, fixed, d);
        sum += Double.isNaN(v) ? 0 : v;
      }
      winner = w == null ? 0 : sum / FRESH;
    }
    return new Outcome(all, winner);
  }

  static double train(Trial trial, int shard, Map<String, Object> fixed, Data d) {
    Map<String, Object> params = new TreeMap<>(fixed);
    params.putAll(trial.params());
    NetworkSpec spec =
        Networks.toSpec(
            params,
            d.width(),
            d.classes(),
            trial.epochs(),
            StudySettings.DEFAULT_DIVERGENCE_FACTOR);
    TrainingResult r = Trainer.train(spec, d.train(), d.validation(), trial.seedFor(shard));
    return r.diverged() ? Double.NaN : r.validationAccuracy();
  }

  /** Trials of an arm within {@link #WITHIN} of {@code best}, over all its trials (NaN: none). */
  static double[] within(Outcome o, double best, int decade) {
    int in = 0;
    int all = 0;
    for (TrialResult r : o.results()) {
      double rate = ((Number) r.trial().params().get("learningRate")).doubleValue();
      if (decade != Integer.MIN_VALUE && (int) Math.floor(Math.log10(rate)) != decade) {
        continue;
      }
      all++;
      if (r.score() != Double.NEGATIVE_INFINITY && r.mean() >= best - WITHIN) {
        in++;
      }
    }
    return new double[] {in, all};
  }

  static String row(Claim c, Data d, List<Outcome[]> pairs, double seconds) {
    double[] a = new double[pairs.size()];
    double[] b = new double[pairs.size()];
    for (int i = 0; i < pairs.size(); i++) {
      Outcome x = pairs.get(i)[0];
      Outcome y = pairs.get(i)[1];
      if (c.bySpread()) {
        double best = Math.max(x.best(), y.best());
        double[] wa = within(x, best, Integer.MIN_VALUE);
        double[] wb = within(y, best, Integer.MIN_VALUE);
        a[i] = wa[0] / wa[1];
        b[i] = wb[0] / wb[1];
      } else if (c.byWinner()) {
        a[i] = x.winner();
        b[i] = y.winner();
      } else {
        a[i] = x.best();
        b[i] = y.best();
      }
    }
    int aWon = 0;
    int bWon = 0;
    for (int i = 0; i < a.length; i++) {
      aWon += a[i] > b[i] ? 1 : 0;
      bWon += b[i] > a[i] ? 1 : 0;
    }
    int tied = a.length - aWon - bWon;
    String holds = aWon > bWon ? "yes" : aWon == bWon ? "no difference" : "**no**";
    return String.format(
        Locale.ROOT,
        "| %s | %s | %s | %s | %s | %s | %s | %d / %d / %d | %s | %.0f s |",
        c.name(),
        d.name(),
        c.bySpread()
            ? "share within 1 pt of best"
            : c.byWinner()
                ? "winner's validation accuracy, " + FRESH + " fresh seeds"
                : "best validation accuracy",
        c.a().name(),
        meanStd(a),
        c.b().name(),
        meanStd(b),
        aWon,
        bWon,
        tied,
        holds,
        seconds);
  }

  /** The batch-norm claim per decade of learning rate, pooled over the seeds. */
  static String decadeTable(Claim c, Data d, List<Outcome[]> pairs) {
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "%n%s, %s: share of trials within 1 point of the seed's best, per decade of"
                + " learning rate (pooled over %d seeds)%n%n",
            c.name(),
            d.name(),
            pairs.size()));
    sb.append("| learning rate | ")
        .append(c.a().name())
        .append(" | ")
        .append(c.b().name())
        .append(" |\n|---|---|---|\n");
    for (int dec = DECADES_FROM; dec < DECADES_TO; dec++) {
      double[] ta = new double[2];
      double[] tb = new double[2];
      for (Outcome[] p : pairs) {
        double best = Math.max(p[0].best(), p[1].best());
        double[] wa = within(p[0], best, dec);
        double[] wb = within(p[1], best, dec);
        ta[0] += wa[0];
        ta[1] += wa[1];
        tb[0] += wb[0];
        tb[1] += wb[1];
      }
      sb.append(
          String.format(
              Locale.ROOT,
              "| 1e%d..1e%d | %.0f / %.0f | %.0f / %.0f |%n",
              dec,
              dec + 1,
              ta[0],
              ta[1],
              tb[0],
              tb[1]));
    }
    return sb.toString();
  }

  static String meanStd(double[] v) {
    double mean = Arrays.stream(v).average().orElse(Double.NaN);
    double ss = 0;
    for (double x : v) {
      ss += (x - mean) * (x - mean);
    }
    double sd = v.length > 1 ? Math.sqrt(ss / (v.length - 1)) : Double.NaN;
    return String.format(Locale.ROOT, "%.4f ± %.4f", mean, sd);
  }
}
