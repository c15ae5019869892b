package dev.caviar.nn;

/**
 * The update rules of {@link OptimizerSpec} over one flat parameter array, each a single loop the
 * JIT vectorises. State (v, s) is allocated once per trial.
 */
final class Optimizer {
  private final OptimizerSpec spec;
  private final float[] v;
  private final float[] s;
  private int t;

  Optimizer(OptimizerSpec spec, int size) {
    this.spec = spec;
    boolean first =
        spec.kind() == OptimizerSpec.Kind.MOMENTUM || spec.kind() == OptimizerSpec.Kind.ADAM;
    boolean second =
        spec.kind() == OptimizerSpec.Kind.RMSPROP || spec.kind() == OptimizerSpec.Kind.ADAM;
    this.v = first ? new float[size] : null;
    this.s = second ? new float[size] : null;
  }

  /** Counts one update step (Adam's bias correction uses it); call once per mini-batch. */
  void nextStep() {
    t++;
  }

  int steps() {
    return t;
  }

  /** How many moment arrays (0, 1 or 2) of the parameters' size the rule keeps. */
  int moments() {
    return (v == null ? 0 : 1) + (s == null ? 0 : 1);
  }

  /**
   * Updates {@code w[from, to)} with gradient {@code g}. Returns the squared norm of the applied
   * change when {@code measure}, else 0 (the measuring loop is slower, so it runs once per epoch).
   */
  double update(float[] w, float[] g, int from, int to, double learningRate, boolean measure) {
    float lr = (float) learningRate;
    return switch (spec.kind()) {
      case SGD -> sgd(w, g, from, to, lr, measure);
      case MOMENTUM -> momentum(w, g, from, to, lr, measure);
      case RMSPROP -> rmsprop(w, g, from, to, lr, measure);
      case ADAM -> adam(w, g, from, to, learningRate, measure);
    };
  }

  private static double sgd(float[] w, float[] g, int from, int to, float lr, boolean measure) {
    double sq = 0;
    if (measure) {
      for (int i = from; i < to; i++) {
        float d = lr * g[i];
        w[i] -= d;
        sq += (double) d * d;
      }
    } else {
      for (int i = from; i < to; i++) {
        w[i] -= lr * g[i];
      }
    }
    return sq;
  }

  private double momentum(float[] w, float[] g, int from, int to, float lr, boolean measure) {
    float b = (float) spec.beta();
    float ob = (float) (1 - spec.beta());
    double sq = 0;
    for (int i = from; i < to; i++) {
      float vi = b * v[i] + ob * g[i];
      v[i] = vi;
      float d = lr * vi;
      w[i] -= d;
      if (measure) {
        sq += (double) d * d;
      }
    }
    return sq;
  }

  private double rmsprop(float[] w, float[] g, int from, int to, float lr, boolean measure) {
    float b = (float) spec.beta();
    float ob = (float) (1 - spec.beta());
    float eps = (float) spec.epsilon();
    double sq = 0;
    for (int i = from; i < to; i++) {
      float gi = g[i];
      float si = b * s[i] + ob * gi * gi;
      s[i] = si;
      float d = lr * gi / ((float) Math.sqrt(si) + eps);
      w[i] -= d;
      if (measure) {
        sq += (double) d * d;
      }
    }
    return sq;
  }

  private double adam(
      float[] w, float[] g, int from, int to, double learningRate, boolean measure) {
    if (t < 1) {
      throw new IllegalStateException("Adam: nextStep() must precede the first update");
    }
    float b1 = (float) spec.beta1();
    float ob1 = (float) (1 - spec.beta1());
    float b2 = (float) spec.beta2();
    float ob2 = (float) (1 - spec.beta2());
    float eps = (float) spec.epsilon();
    // Bias corrections folded into two scalars: lr/(1-b1^t) and 1/(1-b2^t).
    float c1 = (float) (learningRate / (1 - Math.pow(spec.beta1(), t)));
    float c2 = (float) (1 / (1 - Math.pow(spec.beta2(), t)));
    double sq = 0;
    if (measure) {
      for (int i = from; i < to; i++) {
        float gi = g[i];
        float vi = b1 * v[i] + ob1 * gi;
        float si = b2 * s[i] + ob2 * gi * gi;
        v[i] = vi;
        s[i] = si;
        float d = c1 * vi / ((float) Math.sqrt(si * c2) + eps);
        w[i] -= d;
        sq += (double) d * d;
      }
    } else {
      for (int i = from; i < to; i++) {
        float gi = g[i];
        float vi = b1 * v[i] + ob1 * gi;
        float si = b2 * s[i] + ob2 * gi * gi;
        v[i] = vi;
        s[i] = si;
        w[i] -= c1 * vi / ((float) Math.sqrt(si * c2) + eps);
      }
    }
    return sq;
  }
}
