package dev.caviar.job;

import dev.caviar.data.IdxFile;
import dev.caviar.nn.DataView;
import dev.caviar.nn.EpochStats;
import dev.caviar.nn.Model;
import dev.caviar.nn.NetworkSpec;
import dev.caviar.nn.Trainer;
import dev.caviar.nn.TrainingResult;
import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.blas.JavaBLAS;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Issue 2's speed and accuracy figures for the reference network (784-256-256-10, BN, ReLU, Adam,
 * batch 128, one thread) on Fashion-MNIST: training samples/s, useful GFLOP/s, the raw SGEMM
 * throughput of the same BLAS on the step's eight shapes and the fraction achieved; the same for
 * netlib's Java fallback; and the 10-epoch test accuracy.
 *
 * <p>Usage: {@code TrainerBenchmark [speed|accuracy|all] [--data DIR] [--blas native|java|both]
 * [--repeats N]}. Prints {@code key=value} lines that {@code jobs/bench-trainer} reads.
 */
public final class TrainerBenchmark {
  /**
   * Useful work per example (issue 2): 2*in*out per forward, weight-gradient and input-gradient
   * product, no input gradient for the first layer.
   */
  static final double FLOP_PER_EXAMPLE = flopPerExample(new int[] {784, 256, 256, 10});

  private TrainerBenchmark() {}

  static double flopPerExample(int[] w) {
    double f = 0;
    for (int k = 0; k + 1 < w.length; k++) {
      f += 2.0 * w[k] * w[k + 1] * (k == 0 ? 2 : 3);
    }
    return f;
  }

  record Data(DataView train, DataView test) {}

  public static void main(String[] args) throws IOException {
    String mode = "speed";
    Path dir = Path.of("/usr/share/datasets/fashion-mnist");
    String blasChoice = "both";
    int repeats = 3;
    int epochs = 10;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "speed", "accuracy", "all" -> mode = args[i];
        case "--data" -> dir = Path.of(args[++i]);
        case "--blas" -> blasChoice = args[++i];
        case "--repeats" -> repeats = Integer.parseInt(args[++i]);
        case "--epochs" -> epochs = Integer.parseInt(args[++i]);
        default -> throw new IllegalArgumentException("unknown argument: " + args[i]);
      }
    }
    long t0 = System.nanoTime();
    Data data = load(dir);
    System.out.printf(
        "data: %d train, %d test, loaded and standardised in %.1f s%n",
        data.train().size(), data.test().size(), (System.nanoTime() - t0) / 1e9);
    System.out.printf("flop_per_example=%.0f%n", FLOP_PER_EXAMPLE);
    if (!mode.equals("accuracy")) {
      List<BLAS> blases = new ArrayList<>();
      if (!blasChoice.equals("java")) {
        blases.add(BLAS.getInstance());
      }
      if (!blasChoice.equals("native")) {
        blases.add(JavaBLAS.getInstance());
      }
      for (BLAS blas : blases) {
        speed(blas, data, repeats);
      }
    }
    if (!mode.equals("speed")) {
      accuracy(BLAS.getInstance(), data, epochs);
    }
  }

  static NetworkSpec reference(int epochs) {
    return NetworkSpec.builder(784, 10)
        .hidden(256, 256)
        .batchSize(128)
        .learningRate(1e-3)
        .epochs(epochs)
        .build();
  }

  private static void speed(BLAS blas, Data data, int repeats) {
    String tag = blas instanceof JavaBLAS ? "java" : "native";
    String name = blas.getClass().getSimpleName();
    System.out.printf("%s.blas=%s%n", tag, name);
    // Warm-up epoch (JIT), then timed epochs; the median is robust to a neighbour's burst.
    Trainer.train(reference(1), data.train(), null, 1, s -> true, blas);
    double[] rates = new double[repeats];
    for (int r = 0; r < repeats; r++) {
      TrainingResult result =
          Trainer.train(reference(1), data.train(), null, 2 + r, s -> true, blas);
      rates[r] = result.examplesSeen() / (result.trainingNanos() / 1e9);
      System.out.printf("%s.epoch_%d_samples_per_s=%.0f%n", tag, r, rates[r]);
    }
    Arrays.sort(rates);
    double median = rates[repeats / 2];
    // Measured after training, when the JIT has compiled the Java BLAS's vector loops too.
    double gemm = gemmGflops(blas, 128, 20);
    System.out.printf("%s.gemm_gflops=%.1f%n", tag, gemm);
    double useful = median * FLOP_PER_EXAMPLE / 1e9;
    System.out.printf("%s.samples_per_s=%.0f%n", tag, median);
    System.out.printf("%s.useful_gflops=%.1f%n", tag, useful);
    System.out.printf("%s.fraction_of_gemm=%.2f%n", tag, useful / gemm);
  }

  /** The eight products of one training step, in the step's order, with batch {@code m}. */
  static double gemmGflops(BLAS blas, int m, int rounds) {
    int[] w = {784, 256, 256, 10};
    float[][] weights = new float[3][];
    float[][] acts = new float[4][];
    float[][] out = new float[4][];
    SplittableRandom rng = new SplittableRandom(0);
    for (int k = 0; k < 4; k++) {
      acts[k] = random(w[k] * m, rng);
      out[k] = new float[w[k] * m];
    }
    float[][] grads = new float[3][];
    for (int k = 0; k < 3; k++) {
      weights[k] = random(w[k] * w[k + 1], rng);
      grads[k] = new float[w[k] * w[k + 1]];
    }
    Runnable step =
        () -> {
          for (int k = 0; k < 3; k++) {
            blas.sgemm(
                "N",
                "N",
                w[k + 1],
                m,
                w[k],
                1f,
                weights[k],
                w[k + 1],
                acts[k],
                w[k],
                0f,
                out[k + 1],
                w[k + 1]);
          }
          for (int k = 2; k >= 0; k--) {
            blas.sgemm(
                "N",
                "T",
                w[k + 1],
                w[k],
                m,
                1f,
                acts[k + 1],
                w[k + 1],
                acts[k],
                w[k],
                0f,
                grads[k],
                w[k + 1]);
            if (k > 0) {
              blas.sgemm(
                  "T",
                  "N",
                  w[k],
                  m,
                  w[k + 1],
                  1f,
                  weights[k],
                  w[k + 1],
                  acts[k + 1],
                  w[k + 1],
                  0f,
                  out[k],
                  w[k]);
            }
          }
        };
    // Time-based warm-up: the Java BLAS needs its vector loops compiled before it is measured.
    long warm = System.nanoTime();
    while (System.nanoTime() - warm < 2_000_000_000L) {
      step.run();
    }
    long start = System.nanoTime();
    int done = 0;
    while (done < rounds || System.nanoTime() - start < 2_000_000_000L) {
      step.run();
      done++;
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    return done * m * FLOP_PER_EXAMPLE / seconds / 1e9;
  }

  private static float[] random(int n, SplittableRandom rng) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) rng.nextGaussian();
    }
    return a;
  }

  private static void accuracy(BLAS blas, Data data, int epochs) {
    System.out.printf("accuracy run: %d epochs, Adam lr 1e-3, batch 128, seed 1%n", epochs);
    TrainingResult r =
        Trainer.train(
            reference(epochs),
            data.train(),
            data.test(),
            1,
            (EpochStats s) -> {
              System.out.printf(
                  "epoch %d: train loss %.4f acc %.4f, test loss %.4f acc %.4f, update ratios %s%n",
                  s.epoch(),
                  s.trainLoss(),
                  s.trainAccuracy(),
                  s.validationLoss(),
                  s.validationAccuracy(),
                  Arrays.toString(
                      Arrays.stream(s.updateRatioPerLayer())
                          .mapToObj(v -> String.format("%.1e", v))
                          .toArray()));
              return true;
            },
            blas);
    System.out.printf("initial_loss=%.4f ln_c=%.4f%n", r.initialLoss(), r.lnClasses());
    Model model = r.model();
    double acc = model == null ? 0 : model.evaluate(data.test()).accuracy();
    System.out.printf("status=%s%n", r.status());
    System.out.printf("train_seconds=%.1f%n", r.trainingNanos() / 1e9);
    System.out.printf("test_accuracy=%.4f%n", acc);
  }

  /** Pixels scaled to [0, 1], then standardised per pixel with training mean and deviation. */
  static Data load(Path dir) throws IOException {
    IdxFile trainX = read(dir.resolve("train-images-idx3-ubyte.gz"));
    IdxFile trainY = read(dir.resolve("train-labels-idx1-ubyte.gz"));
    IdxFile testX = read(dir.resolve("t10k-images-idx3-ubyte.gz"));
    IdxFile testY = read(dir.resolve("t10k-labels-idx1-ubyte.gz"));
    int d = trainX.width();
    float[] train = scale(trainX);
    float[] test = scale(testX);
    int n = trainX.count();
    double[] mean = new double[d];
    double[] sq = new double[d];
    for (int j = 0; j < n; j++) {
      for (int i = 0; i < d; i++) {
        mean[i] += train[j * d + i];
      }
    }
    for (int i = 0; i < d; i++) {
      mean[i] /= n;
    }
    for (int j = 0; j < n; j++) {
      for (int i = 0; i < d; i++) {
        double v = train[j * d + i] - mean[i];
        sq[i] += v * v;
      }
    }
    float[] mu = new float[d];
    float[] inv = new float[d];
    for (int i = 0; i < d; i++) {
      double std = Math.sqrt(sq[i] / n);
      mu[i] = (float) mean[i];
      inv[i] = (float) (std > 1e-8 ? 1 / std : 1);
    }
    standardise(train, mu, inv);
    standardise(test, mu, inv);
    return new Data(DataView.of(train, labels(trainY), d), DataView.of(test, labels(testY), d));
  }

  private static IdxFile read(Path p) throws IOException {
    try (InputStream in = new FileInputStream(p.toFile())) {
      return IdxFile.read(in, p.toString());
    }
  }

  private static float[] scale(IdxFile f) {
    byte[] v = f.values();
    float[] out = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = (v[i] & 0xFF) / 255f;
    }
    return out;
  }

  private static void standardise(float[] x, float[] mu, float[] inv) {
    int d = mu.length;
    for (int j = 0; j < x.length / d; j++) {
      for (int i = 0; i < d; i++) {
        x[j * d + i] = (x[j * d + i] - mu[i]) * inv[i];
      }
    }
  }

  private static int[] labels(IdxFile f) {
    int[] y = new int[f.count()];
    for (int j = 0; j < y.length; j++) {
      y[j] = f.get(j, 0);
    }
    return y;
  }
}
