package dev.caviar.nn;

import java.io.Serializable;

/**
 * Inference-mode accuracy and mean loss on the two halves of an evaluated view: half A its even
 * positions (0, 2, 4 ...), half B its odd ones. Positions in the view, not row indices, so the
 * halves are fixed by the view alone. A study picks its winner on all the validation rows, which
 * flatters the winner; picking on one half and scoring on the other (a two-fold cross-fit) does
 * not, and costs no extra forward pass.
 *
 * @param accuracyA share correct on the even positions (NaN when unknown or the half is empty)
 * @param accuracyB share correct on the odd positions
 * @param lossA mean cross-entropy on the even positions
 * @param lossB mean cross-entropy on the odd positions
 */
public record HalfScores(double accuracyA, double accuracyB, double lossA, double lossB)
    implements Serializable {

  /** No halves: a score made before they were recorded, or by a runner without validation rows. */
  public static final HalfScores NONE =
      new HalfScores(Double.NaN, Double.NaN, Double.NaN, Double.NaN);

  /**
   * The halves of {@code n} evaluated examples from their sums.
   *
   * @param lossSumA summed loss over the even positions, and {@code correctA} how many were right
   * @param lossSumB summed loss over the odd positions, and {@code correctB} how many were right
   */
  static HalfScores of(int n, double lossSumA, long correctA, double lossSumB, long correctB) {
    int a = (n + 1) / 2;
    int b = n / 2;
    return new HalfScores(
        a == 0 ? Double.NaN : (double) correctA / a,
        b == 0 ? Double.NaN : (double) correctB / b,
        a == 0 ? Double.NaN : lossSumA / a,
        b == 0 ? Double.NaN : lossSumB / b);
  }
}
