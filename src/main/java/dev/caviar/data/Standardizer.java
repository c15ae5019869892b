package dev.caviar.data;

import java.io.Serializable;
import java.util.Arrays;

/**
 * The fitted input scaling {@code (x - mean) / scale}, kept with a saved model so that it scales
 * new data exactly as the training data was scaled.
 *
 * @param mean per-feature mean of the training rows
 * @param scale per-feature standard deviation of the training rows, 1 where a feature is constant
 */
public record Standardizer(double[] mean, double[] scale) implements Serializable {

  public Standardizer {
    if (mean == null || scale == null) {
      throw new IllegalArgumentException("standardizer: mean and scale are required");
    }
    if (mean.length != scale.length) {
      throw new IllegalArgumentException(
          "standardizer: mean and scale must have the same length, got "
              + mean.length
              + " and "
              + scale.length);
    }
    for (int j = 0; j < mean.length; j++) {
      if (!Double.isFinite(mean[j])) {
        throw new IllegalArgumentException(
            "standardizer: mean[" + j + "] must be finite, got " + mean[j]);
      }
      if (!(scale[j] > 0 && Double.isFinite(scale[j]))) {
        throw new IllegalArgumentException(
            "standardizer: scale[" + j + "] must be finite and > 0, got " + scale[j]);
      }
    }
    mean = mean.clone();
    scale = scale.clone();
  }

  /**
   * From a mean and a standard deviation per feature. A constant feature (standard deviation 0, or
   * rounding noise around 0 relative to its mean) keeps scale 1: dividing by the noise would turn a
   * constant into large random values.
   */
  public static Standardizer of(double[] mean, double[] std) {
    double[] scale = new double[std.length];
    for (int j = 0; j < std.length; j++) {
      boolean constant = !(std[j] > 1e-12 * Math.max(1.0, Math.abs(mean[j])));
      scale[j] = constant ? 1.0 : std[j];
    }
    return new Standardizer(mean, scale);
  }

  public int width() {
    return mean.length;
  }

  /** Scales {@code in} into {@code out[offset .. offset + width)}. */
  public void apply(double[] in, float[] out, int offset) {
    if (in.length != mean.length) {
      throw new IllegalArgumentException(
          "standardizer: input must have " + mean.length + " features, got " + in.length);
    }
    for (int j = 0; j < in.length; j++) {
      out[offset + j] = (float) ((in[j] - mean[j]) / scale[j]);
    }
  }

  @Override
  public double[] mean() {
    return mean.clone();
  }

  @Override
  public double[] scale() {
    return scale.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Standardizer s
        && Arrays.equals(mean, s.mean)
        && Arrays.equals(scale, s.scale);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(mean) + Arrays.hashCode(scale);
  }

  @Override
  public String toString() {
    return "Standardizer[width=" + mean.length + "]";
  }
}
