package dev.caviar.report;

import dev.caviar.nn.EpochStats;
import dev.caviar.space.Domain;
import dev.caviar.study.EpochRecord;
import dev.caviar.study.NarrowingRecord.Rule;
import dev.caviar.study.ReplicateScore;
import dev.caviar.study.Status;
import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The report's charts, drawn from {@link ReportData}; no markup here. */
final class ReportCharts {
  static final int BEST_CURVES = 3;
  static final int DIVERGED_CURVES = 3;

  private final ReportData data;

  ReportCharts(ReportData data) {
    this.data = data;
  }

  /**
   * Score against one parameter on its own scale, every round's region dashed, edge rules
   * annotated; null when no trial used the parameter.
   */
  XYChart parameter(String p) {
    boolean log = data.logAxis(p);
    boolean oneMinus = data.oneMinus(p);
    boolean choice = data.categorical(p);
    List<String> values = choice ? data.choiceValues(p) : List.of();
    String xTitle =
        (oneMinus ? "1 - " + p : p) + (log ? " (log scale)" : "") + (choice ? " (categories)" : "");
    XYChart c = Charts.chart(p, xTitle, "validation " + data.metric);
    c.getStyler().setXAxisLogarithmic(log);
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (StudyResults.RoundResults r : data.rounds()) {
      for (TrialRecord t : r.trials()) {
        if (t.ok() && t.params().containsKey(p)) {
          lo = Math.min(lo, t.mean());
          hi = Math.max(hi, t.mean());
        }
      }
    }
    if (lo > hi) {
      lo = 0;
      hi = 1;
    }
    double pad = Math.max(1e-3, 0.06 * (hi - lo));
    double floor = lo - pad;
    double top = hi + pad;
    List<Double> badX = new ArrayList<>();
    boolean any = false;
    for (StudyResults.RoundResults r : data.rounds()) {
      List<Double> xs = new ArrayList<>();
      List<Double> ys = new ArrayList<>();
      for (TrialRecord t : r.trials()) {
        Object v = t.params().get(p);
        if (v == null) {
          continue;
        }
        double x =
            choice
                ? values.indexOf(ReportData.value(v)) + jitter(t.trial())
                : v instanceof Number n ? n.doubleValue() : 0;
        x = oneMinus ? 1 - x : x;
        if (t.ok()) {
          xs.add(x);
          ys.add(t.mean());
        } else {
          badX.add(x);
        }
      }
      if (!xs.isEmpty()) {
        Charts.points(
            c,
            "round " + (r.round() + 1) + " (" + r.region().epochs() + " ep.)",
            xs,
            ys,
            Charts.roundColour(r.round()));
        any = true;
      }
      if (!choice && r.region().bounds().get(p) instanceof Domain.Numeric b) {
        double a = b.lowBound();
        double z = b.highBound();
        for (double edge : oneMinus ? new double[] {1 - z, 1 - a} : new double[] {a, z}) {
          Charts.line(
              c,
              "region " + (r.round() + 1) + " " + edge,
              List.of(edge, edge),
              List.of(floor, top),
              Charts.roundColour(r.round()),
              Charts.DASHED,
              false);
        }
      }
      for (RegionFile.Narrowing n : r.region().narrowing()) {
        if (!p.equals(n.parameter()) || !n.atEdge()) {
          continue;
        }
        if (choice || !(n.oldBounds() instanceof Domain.Numeric ob)) {
          continue;
        }
        boolean highEdge =
            n.rule() == Rule.WIDENED_HIGH
                || (n.rule() == Rule.EDGE_AT_LIMIT && n.note().contains("high"));
        double edge = highEdge ? ob.highBound() : ob.lowBound();
        edge = oneMinus ? 1 - edge : edge;
        c.addAnnotation(
            new AnnotationText(
                "r" + (r.round() + 1) + " " + n.rule().name(),
                edge,
                top - pad * (0.5 + r.round()),
                false));
      }
    }
    if (!badX.isEmpty()) {
      XYSeries s =
          Charts.points(
              c,
              "diverged/failed",
              badX,
              badX.stream().map(x -> floor + pad / 3).toList(),
              Charts.FAILURE);
      s.setMarker(SeriesMarkers.CROSS);
      any = true;
    }
    if (!any) {
      return null;
    }
    c.getStyler().setYAxisMin(floor).setYAxisMax(top);
    if (choice) {
      c.getStyler().setXAxisMin(-0.5).setXAxisMax(values.size() - 0.5);
      c.setCustomXAxisTickLabelsFormatter(
          x -> {
            long i = Math.round(x);
            return Math.abs(x - i) < 0.01 && i >= 0 && i < values.size() ? values.get((int) i) : "";
          });
    }
    return c;
  }

  /** Learning curves of the last round's best trials: loss per epoch and the train/val gap. */
  record Curves(XYChart loss, XYChart gap) {}

  Curves curves(List<TrialRecord> top) {
    StudyResults.RoundResults last = data.last();
    XYChart loss =
        Charts.chart(
            "Best trials of round " + (last.round() + 1) + ": loss per epoch",
            "epoch",
            "loss (solid: training, dashed: validation)");
    XYChart gap =
        Charts.chart("Train/validation gap (validation loss - training loss)", "epoch", "gap");
    int i = 0;
    for (TrialRecord t : top) {
      Color colour = Charts.roundColour(i++);
      for (ReplicateScore s : data.replicatesOf(last, t.trial())) {
        List<Double> ep = new ArrayList<>();
        List<Double> tr = new ArrayList<>();
        List<Double> va = new ArrayList<>();
        List<Double> g = new ArrayList<>();
        for (EpochRecord e : s.curve()) {
          if (Double.isFinite(e.trainLoss()) && Double.isFinite(e.validationLoss())) {
            ep.add((double) e.epoch());
            tr.add(e.trainLoss());
            va.add(e.validationLoss());
            g.add(e.validationLoss() - e.trainLoss());
          }
        }
        if (ep.isEmpty()) {
          continue;
        }
        String label = "trial " + t.trial() + " shard " + s.shard();
        Charts.line(loss, label + " train", ep, tr, colour, Charts.SOLID, true)
            .setMarker(SeriesMarkers.CIRCLE);
        Charts.line(loss, label + " validation", ep, va, colour, Charts.DASHED, false)
            .setMarker(SeriesMarkers.CIRCLE);
        Charts.line(gap, label, ep, g, colour, Charts.SOLID, true).setMarker(SeriesMarkers.CIRCLE);
      }
    }
    return new Curves(loss, gap);
  }

  /** The training loss of the first few diverged replicates; null when none has a curve. */
  XYChart diverged(List<ReplicateScore> bad) {
    XYChart c =
        Charts.chart(
            "Diverged trials: training loss per epoch", "epoch", "training loss (log scale)");
    c.getStyler().setYAxisLogarithmic(true);
    int drawn = 0;
    for (ReplicateScore s : bad) {
      if (s.status() != Status.DIVERGED || drawn >= DIVERGED_CURVES) {
        continue;
      }
      List<Double> ep = new ArrayList<>();
      List<Double> tr = new ArrayList<>();
      for (EpochRecord e : s.curve()) {
        if (Double.isFinite(e.trainLoss()) && e.trainLoss() > 0) {
          ep.add((double) e.epoch());
          tr.add(e.trainLoss());
        }
      }
      if (!ep.isEmpty()) {
        Charts.line(
                c,
                "round " + (s.round() + 1) + " trial " + s.trial() + " shard " + s.shard(),
                ep,
                tr,
                Charts.roundColour(drawn),
                Charts.SOLID,
                true)
            .setMarker(SeriesMarkers.CIRCLE);
        drawn++;
      }
    }
    return drawn > 0 ? c : null;
  }

  /**
   * The update/weight ratio of each weight matrix per epoch for the given replicates, log scale,
   * with the healthy band's edges drawn; null when none recorded a ratio.
   */
  XYChart updateRatios(List<ReplicateScore> replicates) {
    XYChart c =
        Charts.chart(
            "Update/weight ratio per layer (last update of each epoch)",
            "epoch",
            "||\u0394W|| / ||W|| (log scale)");
    c.getStyler().setYAxisLogarithmic(true);
    int drawn = 0;
    double first = Double.NaN;
    double last = Double.NaN;
    for (ReplicateScore s : replicates) {
      Color colour = Charts.roundColour(drawn);
      int layers = s.curve().stream().mapToInt(e -> e.updateRatios().size()).max().orElse(0);
      for (int k = 0; k < layers; k++) {
        List<Double> ep = new ArrayList<>();
        List<Double> q = new ArrayList<>();
        for (EpochRecord e : s.curve()) {
          if (k < e.updateRatios().size() && e.updateRatios().get(k) > 0) {
            ep.add((double) e.epoch());
            q.add(e.updateRatios().get(k));
            first = Double.isNaN(first) ? e.epoch() : Math.min(first, e.epoch());
            last = Double.isNaN(last) ? e.epoch() : Math.max(last, e.epoch());
          }
        }
        if (!ep.isEmpty()) {
          // One legend entry per replicate (its first layer); deeper layers dashed, same colour.
          String label = "round " + (s.round() + 1) + " trial " + s.trial() + " shard " + s.shard();
          Charts.line(
                  c,
                  k == 0 ? label : label + " W" + (k + 1),
                  ep,
                  q,
                  colour,
                  k == 0 ? Charts.SOLID : Charts.DASHED,
                  k == 0)
              .setMarker(SeriesMarkers.CIRCLE);
        }
      }
      drawn++;
    }
    if (Double.isNaN(first)) {
      return null;
    }
    for (double edge : new double[] {EpochStats.UPDATE_RATIO_LOW, EpochStats.UPDATE_RATIO_HIGH}) {
      Charts.line(
          c,
          "band edge " + edge,
          List.of(first - 0.5, last + 0.5),
          List.of(edge, edge),
          Charts.FAILURE,
          Charts.DASHED,
          false);
    }
    return c;
  }

  /** Mean and std over shards of each OK trial, ranked within its round. */
  record Spread(XYChart chart, boolean anySpread) {}

  Spread spread() {
    XYChart c =
        Charts.chart(
            "Mean \u00b1 std over shards, trials ranked within each round",
            "rank within round (1 = best)",
            "validation " + data.metric);
    c.getStyler().setErrorBarsColorSeriesColor(true);
    boolean spread = false;
    for (StudyResults.RoundResults r : data.rounds()) {
      List<TrialRecord> ok = data.bestFirst(r);
      if (ok.isEmpty()) {
        continue;
      }
      double[] x = new double[ok.size()];
      double[] y = new double[ok.size()];
      double[] e = new double[ok.size()];
      for (int i = 0; i < ok.size(); i++) {
        x[i] = i + 1;
        y[i] = ok.get(i).mean();
        e[i] = Double.isFinite(ok.get(i).std()) ? ok.get(i).std() : 0;
        spread |= e[i] > 0;
      }
      XYSeries s = c.addSeries("round " + (r.round() + 1), x, y, e);
      s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
      s.setMarker(SeriesMarkers.CIRCLE);
      s.setMarkerColor(Charts.roundColour(r.round()));
    }
    return new Spread(c, spread);
  }

  // Spreads a categorical strip's points sideways without randomness: the golden-ratio sequence.
  private static double jitter(int trial) {
    double frac = (trial * 0.6180339887498949) % 1.0;
    return (frac - 0.5) * 0.5;
  }
}
