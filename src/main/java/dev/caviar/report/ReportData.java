package dev.caviar.report;

import dev.caviar.space.Domain;
import dev.caviar.space.Scales;
import dev.caviar.study.ReplicateScore;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the report shows, derived from a study's records: the searched parameters and their domains,
 * each round's region as text, the trials best first, and the report's number format. Neither
 * charts nor markup: both read from here.
 */
final class ReportData {
  final StudyResults study;
  final String metric;
  final boolean higherIsBetter;

  ReportData(StudyResults study) {
    this.study = study;
    StudyResults.RoundResults first = study.rounds().get(0);
    this.higherIsBetter = first.higherIsBetter();
    this.metric =
        first.trials().isEmpty() ? "accuracy" : first.trials().get(0).metric().configName();
  }

  List<StudyResults.RoundResults> rounds() {
    return study.rounds();
  }

  StudyResults.RoundResults last() {
    return study.rounds().get(study.rounds().size() - 1);
  }

  /** The OK trials of a round, best first. */
  List<TrialRecord> bestFirst(StudyResults.RoundResults r) {
    return RoundSummary.bestFirst(r.trials());
  }

  /** The searched parameters, in the order of the first round's region (or of the trials). */
  List<String> parameters() {
    Set<String> names = new LinkedHashSet<>(study.rounds().get(0).region().sampled().keySet());
    if (names.isEmpty()) {
      for (StudyResults.RoundResults r : study.rounds()) {
        for (TrialRecord t : r.trials()) {
          names.addAll(t.params().keySet());
        }
      }
    }
    return new ArrayList<>(names);
  }

  /** The domain the first round sampled, or null for files written before bounds were recorded. */
  Domain domainOf(String p) {
    return study.rounds().get(0).region().bounds().get(p);
  }

  /** The scale's name for a caption. */
  String scaleOf(String p) {
    Domain d = domainOf(p);
    if (d != null) {
      return d.scale();
    }
    // Studies written before region.json carried bounds: the description starts with the scale.
    String text = study.rounds().get(0).region().sampled().getOrDefault(p, "");
    int cut = text.indexOf('[') >= 0 ? text.indexOf('[') : text.indexOf('(');
    return cut > 0 ? text.substring(0, cut) : "linear";
  }

  /** Whether a parameter is drawn on a log axis: the scales sampled in log coordinates. */
  boolean logAxis(String p) {
    Domain d = domainOf(p);
    return d != null && Scales.of(d).logAxis();
  }

  boolean oneMinus(String p) {
    Domain d = domainOf(p);
    return d != null && Scales.of(d).axis() == Scales.Axis.ONE_MINUS_LOG;
  }

  boolean categorical(String p) {
    Domain d = domainOf(p);
    return d != null && Scales.of(d).axis() == Scales.Axis.CATEGORIES;
  }

  /** A categorical parameter's values: the domain's, then any other a trial used. */
  List<String> choiceValues(String p) {
    Set<String> v = new LinkedHashSet<>();
    Domain d = domainOf(p);
    if (d instanceof Domain.Choice c) {
      c.values().forEach(x -> v.add(value(x)));
    } else if (d instanceof Domain.Fixed f) {
      v.add(value(f.value()));
    }
    for (StudyResults.RoundResults r : study.rounds()) {
      for (TrialRecord t : r.trials()) {
        if (t.params().containsKey(p)) {
          v.add(value(t.params().get(p)));
        }
      }
    }
    return new ArrayList<>(v);
  }

  /** A round's range of a parameter, with its width in the scale's own units. */
  String regionText(StudyResults.RoundResults r, String p) {
    String text = r.region().sampled().getOrDefault(p, "");
    if (!(r.region().bounds().get(p) instanceof Domain.Numeric n)) {
      return text;
    }
    double lo = n.lowBound();
    double hi = n.highBound();
    String width = Scales.of(n).widthText(lo, hi).orElse("width " + fmt(hi - lo));
    return text + " (" + width + ")";
  }

  List<ReplicateScore> replicatesOf(StudyResults.RoundResults r, int trial) {
    return r.scores().stream().filter(s -> s.trial() == trial).toList();
  }

  Map<String, Object> paramsOf(int round, int trial) {
    for (StudyResults.RoundResults r : study.rounds()) {
      if (r.round() == round) {
        for (TrialRecord t : r.trials()) {
          if (t.trial() == trial) {
            return t.params();
          }
        }
      }
    }
    return Map.of();
  }

  /** Hyperparameters as sorted {@code {name=value}} text. */
  static String paramsText(Map<String, Object> params) {
    Map<String, String> m = new TreeMap<>();
    params.forEach((k, v) -> m.put(k, value(v)));
    return m.toString();
  }

  /** A hyperparameter's value as the report prints it: doubles in {@link #fmt}. */
  static String value(Object v) {
    return v instanceof Double d ? fmt(d) : String.valueOf(v);
  }

  /** Four significant decimals, or three significant digits for very small or large values. */
  static String fmt(double v) {
    if (Double.isNaN(v)) {
      return "-";
    }
    if (v != 0 && (Math.abs(v) < 1e-3 || Math.abs(v) >= 1e5)) {
      return String.format(Locale.ROOT, "%.3g", v);
    }
    return String.format(Locale.ROOT, "%.4f", v).replaceAll("0+$", "").replaceAll("\\.$", "");
  }
}
