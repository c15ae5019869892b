package dev.caviar.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;

/**
 * The label set: labels are the integer classes 0..C-1, C is one more than the largest training
 * label, and every class has training rows. A class without rows is almost always a labelling
 * mistake (labels 1..C, or a stray large value) that would otherwise train a class nobody asked for
 * and report an accuracy over the wrong C.
 */
final class Labels {
  private Labels() {}

  /** The number of rows per label. */
  static Map<Integer, Long> counts(JavaRDD<Example> rows) {
    return Datasets.action(() -> rows.map(Example::label).countByValue());
  }

  /**
   * The number of classes of the training rows, checked.
   *
   * @param counts rows per label of the training rows, not empty
   * @param sourced the training rows with where they were read, to name an offending row
   */
  static int classes(
      String name, Map<Integer, Long> counts, JavaRDD<Sourced> sourced, String labelName) {
    int max = counts.keySet().stream().mapToInt(Integer::intValue).max().orElseThrow();
    if (max < 1) {
      throw new DataException(
          name + named(labelName) + ": needs at least 2 classes, every label is " + max);
    }
    int classes = max + 1;
    List<Integer> missing = new ArrayList<>();
    for (int c = 0; c < classes; c++) {
      if (!counts.containsKey(c)) {
        missing.add(c);
      }
    }
    if (missing.isEmpty()) {
      return classes;
    }
    if (missing.equals(List.of(0))) {
      throw new DataException(
          name
              + named(labelName)
              + ": labels must be the classes 0..C-1, but class 0 has no rows (the labels are 1.."
              + max
              + "); renumber them from 0");
    }
    Sourced first = Datasets.action(() -> sourced.filter(s -> s.example().label() == max).first());
    throw new DataException(
        first.place().describe()
            + named(labelName)
            + ": label must be a class 0..C-1 with every class present, got "
            + max
            + "; "
            + (missing.size() == 1 ? "class " : "classes ")
            + ranges(missing)
            + (missing.size() == 1 ? " has" : " have")
            + " no rows in "
            + name);
  }

  /** Fails on the first test row whose label is not a class of the training rows. */
  static void requireTrainingClasses(
      Map<Integer, Long> testCounts, int classes, JavaRDD<Sourced> test, String labelName) {
    if (testCounts.keySet().stream().allMatch(l -> l < classes)) {
      return;
    }
    Sourced bad = Datasets.action(() -> test.filter(s -> s.example().label() >= classes).first());
    throw new DataException(
        bad.place().describe()
            + named(labelName)
            + ": label must be a class of the training data, 0.."
            + (classes - 1)
            + ", got "
            + bad.example().label());
  }

  private static String named(String labelName) {
    return labelName == null ? "" : ": " + labelName;
  }

  /** {@code 2, 3, 4, 7} as {@code 2..4, 7}. */
  static String ranges(List<Integer> sorted) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < sorted.size(); ) {
      int j = i;
      while (j + 1 < sorted.size() && sorted.get(j + 1) == sorted.get(j) + 1) {
        j++;
      }
      b.append(b.length() == 0 ? "" : ", ").append(sorted.get(i));
      if (j > i) {
        b.append("..").append(sorted.get(j));
      }
      i = j + 1;
    }
    return b.toString();
  }
}
