package dev.caviar.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.caviar.study.EpochRecord;
import dev.caviar.study.ReplicateScore;
import dev.caviar.study.Status;
import java.awt.Color;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The study report: one self-contained HTML file ({@value #FILE}) in the study directory, with the
 * best configuration, the per-round summary and narrowing, score against each hyperparameter on its
 * own scale with every round's region, learning curves and the spread across shards. Charts are PNG
 * images inside the file and there is no script, so it opens offline in any browser.
 *
 * <p>It reads only what the study wrote (JSON tables, {@code region.json}, {@code best.json}), so
 * it works on a finished study, an interrupted one, and on any Hadoop file system.
 */
public final class StudyReport {
  public static final String FILE = "report.html";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int BEST_CURVES = 3;
  private static final int DIVERGED_CURVES = 3;
  private static final Set<String> BOUNDARY_RULES =
      Set.of("WIDENED_LOW", "WIDENED_HIGH", "EDGE_AT_LIMIT");

  private StudyReport() {}

  /** One trial of a round, as {@code trials.json} holds it. */
  record TrialRow(
      int round,
      int trial,
      int carriedFrom,
      int epochs,
      String status,
      double mean,
      double std,
      int n,
      double min,
      double max,
      JsonNode params) {
    boolean ok() {
      return "OK".equals(status);
    }
  }

  /** One complete round as read back. */
  record Round(
      int round,
      int epochs,
      String metric,
      List<TrialRow> trials,
      JsonNode region,
      List<ReplicateScore> scores) {}

  /**
   * Writes {@value #FILE} into the study directory and returns its path.
   *
   * @throws IllegalArgumentException when the directory holds no study or no complete round, or a
   *     file of it cannot be read
   */
  public static String write(StudyDirectory dir) {
    String html = html(dir);
    dir.writeText(FILE, html);
    return dir.resolve(FILE).toString();
  }

  /** The report's HTML text (see {@link #write}). */
  public static String html(StudyDirectory dir) {
    if (!dir.exists("config.conf")) {
      throw new IllegalArgumentException(
          dir.root() + ": not a Caviar study directory (no config.conf); nothing to report");
    }
    List<Integer> numbers;
    try {
      numbers = dir.completeRounds();
    } catch (UncheckedIOException e) {
      throw new IllegalArgumentException(dir.root() + ": cannot list the rounds: " + e, e);
    }
    if (numbers.isEmpty()) {
      throw new IllegalArgumentException(
          dir.root() + ": the study has no complete round yet; nothing to report");
    }
    List<Round> rounds = new ArrayList<>();
    for (int r : numbers) {
      rounds.add(readRound(dir, r));
    }
    JsonNode best = dir.exists("best.json") ? readJson(dir, "best.json") : null;
    String config = dir.readText("config.conf");
    return new Page(dir.root().toString(), rounds, best, config).render();
  }

  private static Round readRound(StudyDirectory dir, int r) {
    String base = dir.roundPath(r) + "/";
    JsonNode trials = readJson(dir, base + "trials.json");
    JsonNode region = readJson(dir, base + "region.json");
    List<TrialRow> rows = new ArrayList<>();
    for (JsonNode t : trials) {
      rows.add(
          new TrialRow(
              t.path("round").asInt(),
              t.path("trial").asInt(),
              t.path("carriedFrom").asInt(-1),
              t.path("epochs").asInt(),
              t.path("status").asText(),
              dbl(t.get("mean")),
              dbl(t.get("std")),
              t.path("n").asInt(),
              dbl(t.get("min")),
              dbl(t.get("max")),
              t.path("params")));
    }
    String file = base + "replicates.jsonl";
    List<ReplicateScore> scores =
        dir.exists(file)
            ? ResultTables.readReplicates(dir.readText(file), dir.resolve(file).toString())
            : List.of();
    String metric =
        trials.size() > 0 ? trials.get(0).path("metric").asText("accuracy") : "accuracy";
    return new Round(r, region.path("epochs").asInt(), metric, rows, region, scores);
  }

  private static JsonNode readJson(StudyDirectory dir, String relative) {
    try {
      return JSON.readTree(dir.readText(relative));
    } catch (UncheckedIOException | java.io.IOException e) {
      throw new IllegalArgumentException(
          dir.resolve(relative) + ": cannot read the study's file: " + e.getMessage(), e);
    }
  }

  private static double dbl(JsonNode n) {
    if (n == null || n.isNull() || n.isMissingNode()) {
      return Double.NaN;
    }
    return n.isTextual() ? Double.parseDouble(n.asText()) : n.asDouble();
  }

  /** Renders one report; holds what every section needs. */
  private static final class Page {
    private final String root;
    private final List<Round> rounds;
    private final JsonNode best;
    private final String config;
    private final String metric;
    private final boolean higherIsBetter;
    private final Comparator<TrialRow> bestFirst;
    private final StringBuilder out = new StringBuilder();

    Page(String root, List<Round> rounds, JsonNode best, String config) {
      this.root = root;
      this.rounds = rounds;
      this.best = best;
      this.config = config;
      this.metric = rounds.get(0).metric();
      this.higherIsBetter = !"loss".equals(metric);
      Comparator<TrialRow> byMean = Comparator.comparingDouble(TrialRow::mean);
      this.bestFirst = higherIsBetter ? byMean.reversed() : byMean;
    }

    String render() {
      String name = best != null ? best.path("study").asText("study") : "study";
      out.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n")
          .append("<title>Caviar report: ")
          .append(esc(name))
          .append("</title>\n<style>")
          .append(CSS)
          .append("</style></head><body>\n");
      out.append("<h1>Caviar study <code>")
          .append(esc(name))
          .append("</code></h1>\n<p class=\"meta\">")
          .append(esc(root))
          .append(" &middot; ")
          .append(rounds.size())
          .append(" complete round(s) &middot; metric: validation ")
          .append(esc(metric))
          .append("</p>\n");
      bestSection();
      roundsSection();
      parameterSection();
      curvesSection();
      spreadSection();
      configSection();
      out.append("</body></html>\n");
      return out.toString();
    }

    private void bestSection() {
      out.append("<h2 id=\"best\">Best configuration</h2>\n");
      if (best == null) {
        out.append(
            "<p class=\"warn\">The study has not finished (no <code>best.json</code>):"
                + " the rounds below are the complete ones; <code>tune --resume</code>"
                + " continues it.</p>\n");
        return;
      }
      JsonNode w = best.path("best");
      JsonNode fin = best.path("final");
      out.append("<p>Trial ")
          .append(w.path("trial").asInt())
          .append(" of round ")
          .append(w.path("round").asInt() + 1)
          .append(": validation ")
          .append(esc(metric))
          .append(" <b>")
          .append(fmt(dbl(w.get("mean"))))
          .append(" &plusmn; ")
          .append(fmt(dbl(w.get("std"))))
          .append("</b> over ")
          .append(w.path("n").asInt())
          .append(" shard(s). Retrained on all training rows for ")
          .append(fin.path("epochs").asInt())
          .append(" epochs: <b>test accuracy ")
          .append(fmt(dbl(fin.get("testAccuracy"))))
          .append("</b>, test loss ")
          .append(fmt(dbl(fin.get("testLoss"))))
          .append(".</p>\n<table class=\"kv\">");
      best.path("configuration")
          .fields()
          .forEachRemaining(
              e ->
                  out.append("<tr><th>")
                      .append(esc(e.getKey()))
                      .append("</th><td>")
                      .append(esc(value(e.getValue())))
                      .append("</td></tr>"));
      out.append("</table>\n");
      JsonNode ties = best.path("ties");
      if (ties.isEmpty()) {
        out.append("<p>No other trial is statistically tied with it.</p>\n");
      } else {
        out.append("<p>Tied within noise (not significantly worse):</p>\n<table><tr>")
            .append("<th>round</th><th>trial</th><th>mean</th><th>std</th><th>n</th>")
            .append("<th>parameters</th></tr>\n");
        for (JsonNode t : ties) {
          out.append("<tr><td>")
              .append(t.path("round").asInt() + 1)
              .append("</td><td>")
              .append(t.path("trial").asInt())
              .append("</td><td>")
              .append(fmt(dbl(t.get("mean"))))
              .append("</td><td>")
              .append(fmt(dbl(t.get("std"))))
              .append("</td><td>")
              .append(t.path("n").asInt())
              .append("</td><td>")
              .append(esc(paramsText(t.path("params"))))
              .append("</td></tr>\n");
        }
        out.append("</table>\n");
      }
    }

    private void roundsSection() {
      out.append("<h2 id=\"rounds\">Rounds</h2>\n<table class=\"rounds\"><tr>")
          .append("<th>round</th><th>epochs</th><th>trials</th><th>carried</th>")
          .append("<th>DIVERGED</th><th>FAILED</th><th>best</th><th>median</th>");
      List<String> params = parameters();
      for (String p : params) {
        out.append("<th>").append(esc(p)).append("</th>");
      }
      out.append("</tr>\n");
      for (Round r : rounds) {
        List<TrialRow> ok = r.trials().stream().filter(TrialRow::ok).sorted(bestFirst).toList();
        long diverged = r.trials().stream().filter(t -> "DIVERGED".equals(t.status())).count();
        long failed = r.trials().stream().filter(t -> "FAILED".equals(t.status())).count();
        long carried = r.trials().stream().filter(t -> t.carriedFrom() >= 0).count();
        out.append("<tr><td>")
            .append(r.round() + 1)
            .append("</td><td>")
            .append(r.epochs())
            .append("</td><td>")
            .append(r.trials().size())
            .append("</td><td>")
            .append(carried)
            .append("</td><td class=\"diverged\">")
            .append(diverged)
            .append("</td><td class=\"failed\">")
            .append(failed)
            .append("</td><td>")
            .append(ok.isEmpty() ? "-" : fmt(ok.get(0).mean()))
            .append("</td><td>")
            .append(ok.isEmpty() ? "-" : fmt(median(ok)))
            .append("</td>");
        for (String p : params) {
          out.append("<td>").append(esc(regionText(r, p))).append("</td>");
        }
        out.append("</tr>\n");
      }
      out.append("</table>\n<h3>Narrowing</h3>\n");
      List<String[]> rows = new ArrayList<>();
      for (Round r : rounds) {
        for (JsonNode n : r.region().path("narrowing")) {
          if (!"UNCHANGED".equals(n.path("rule").asText())) {
            rows.add(
                new String[] {
                  Integer.toString(r.round() + 1),
                  n.path("parameter").asText(),
                  n.path("old").asText(),
                  n.path("new").asText(),
                  n.path("rule").asText(),
                  n.path("eliteCount").asText(),
                  n.path("note").asText()
                });
          }
        }
      }
      if (rows.isEmpty()) {
        out.append("<p>No round changed a range.</p>\n");
        return;
      }
      out.append("<table><tr><th>after round</th><th>parameter</th><th>sampled</th>")
          .append("<th>next</th><th>rule</th><th>elite</th><th>why</th></tr>\n");
      for (String[] row : rows) {
        out.append("<tr>");
        for (int i = 0; i < row.length; i++) {
          String cell = esc(row[i]);
          if (i == 4) {
            cell = ruleFlag(row[i]);
          }
          out.append("<td>").append(cell).append("</td>");
        }
        out.append("</tr>\n");
      }
      out.append("</table>\n");
    }

    private void parameterSection() {
      out.append("<h2 id=\"parameters\">Score against each hyperparameter</h2>\n")
          .append("<p>Each point is a trial (mean over its shards), coloured by round, on the")
          .append(" parameter's own scale. Dashed lines: the range each round sampled. Crosses")
          .append(" at the bottom: trials that diverged or failed.</p>\n<div class=\"grid\">");
      for (String p : parameters()) {
        String scale = scaleOf(p);
        XYChart c = parameterChart(p, scale);
        out.append("<figure>");
        if (c == null) {
          out.append("<p>").append(esc(p)).append(": no trial used it.</p>");
        } else {
          image(c, p + " against validation " + metric);
        }
        List<String> flags = new ArrayList<>();
        for (Round r : rounds) {
          for (JsonNode n : r.region().path("narrowing")) {
            String rule = n.path("rule").asText();
            if (p.equals(n.path("parameter").asText()) && !"UNCHANGED".equals(rule)) {
              flags.add(
                  "after round "
                      + (r.round() + 1)
                      + ": "
                      + ruleFlag(rule)
                      + " "
                      + esc(n.path("old").asText())
                      + " &rarr; "
                      + esc(n.path("new").asText()));
            }
          }
        }
        out.append("<figcaption><b>")
            .append(esc(p))
            .append("</b> (")
            .append(esc(scale))
            .append(")");
        for (String f : flags) {
          out.append("<br>").append(f);
        }
        out.append("</figcaption></figure>\n");
      }
      out.append("</div>\n");
    }

    private XYChart parameterChart(String p, String scale) {
      dev.caviar.space.Scales.Scale sc = dev.caviar.space.Scales.named(scale);
      boolean log = sc.logAxis();
      boolean oneMinus = sc.axis() == dev.caviar.space.Scales.Axis.ONE_MINUS_LOG;
      boolean choice = sc.axis() == dev.caviar.space.Scales.Axis.CATEGORIES;
      List<String> values = choice ? choiceValues(p) : List.of();
      String xTitle =
          (oneMinus ? "1 - " + p : p)
              + (log ? " (log scale)" : "")
              + (choice ? " (categories)" : "");
      XYChart c = Charts.chart(p, xTitle, "validation " + metric);
      c.getStyler().setXAxisLogarithmic(log);
      double lo = Double.POSITIVE_INFINITY;
      double hi = Double.NEGATIVE_INFINITY;
      for (Round r : rounds) {
        for (TrialRow t : r.trials()) {
          if (t.ok() && t.params().has(p)) {
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
      for (Round r : rounds) {
        List<Double> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        for (TrialRow t : r.trials()) {
          JsonNode v = t.params().get(p);
          if (v == null) {
            continue;
          }
          double x = choice ? values.indexOf(value(v)) + jitter(t.trial()) : v.asDouble();
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
              "round " + (r.round() + 1) + " (" + r.epochs() + " ep.)",
              xs,
              ys,
              Charts.roundColour(r.round()));
          any = true;
        }
        JsonNode b = r.region().path("bounds").path(p);
        if (!choice && b.has("low") && b.has("high")) {
          double a = b.get("low").asDouble();
          double z = b.get("high").asDouble();
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
        for (JsonNode n : r.region().path("narrowing")) {
          String rule = n.path("rule").asText();
          if (!p.equals(n.path("parameter").asText()) || !BOUNDARY_RULES.contains(rule)) {
            continue;
          }
          JsonNode ob = n.path("oldBounds");
          if (choice || !ob.has("low")) {
            continue;
          }
          boolean highEdge =
              "WIDENED_HIGH".equals(rule)
                  || ("EDGE_AT_LIMIT".equals(rule) && n.path("note").asText().contains("high"));
          double edge = highEdge ? ob.get("high").asDouble() : ob.get("low").asDouble();
          edge = oneMinus ? 1 - edge : edge;
          c.addAnnotation(
              new AnnotationText(
                  "r" + (r.round() + 1) + " " + rule, edge, top - pad * (0.5 + r.round()), false));
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
              return Math.abs(x - i) < 0.01 && i >= 0 && i < values.size()
                  ? values.get((int) i)
                  : "";
            });
      }
      return c;
    }

    private void curvesSection() {
      out.append("<h2 id=\"curves\">Learning curves</h2>\n");
      Round last = rounds.get(rounds.size() - 1);
      List<TrialRow> top =
          last.trials().stream().filter(TrialRow::ok).sorted(bestFirst).limit(BEST_CURVES).toList();
      if (top.isEmpty()) {
        out.append("<p>No trial of the last round finished.</p>\n");
      } else {
        XYChart loss =
            Charts.chart(
                "Best trials of round " + (last.round() + 1) + ": loss per epoch",
                "epoch",
                "loss (solid: training, dashed: validation)");
        XYChart gap =
            Charts.chart("Train/validation gap (validation loss - training loss)", "epoch", "gap");
        int i = 0;
        for (TrialRow t : top) {
          Color colour = Charts.roundColour(i++);
          for (ReplicateScore s : replicatesOf(last, t.trial())) {
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
            Charts.line(gap, label, ep, g, colour, Charts.SOLID, true)
                .setMarker(SeriesMarkers.CIRCLE);
          }
        }
        out.append("<div class=\"grid\">");
        if (!loss.getSeriesMap().isEmpty()) {
          out.append("<figure>");
          image(loss, "learning curves of the best trials");
          out.append("<figcaption>Training loss falling while validation loss rises means")
              .append(" overfitting; both flat and high means too small a learning rate or")
              .append(" model.</figcaption></figure>\n<figure>");
          image(gap, "train/validation gap of the best trials");
          out.append("<figcaption>A gap growing with the epochs is overfitting.</figcaption>")
              .append("</figure>\n");
        }
        out.append("</div>\n");
      }
      divergedSection();
    }

    private void divergedSection() {
      out.append("<h3 id=\"diverged\">Diverged and failed trials</h3>\n");
      List<ReplicateScore> bad = new ArrayList<>();
      for (Round r : rounds) {
        for (ReplicateScore s : r.scores()) {
          if (s.status() != Status.OK) {
            bad.add(s);
          }
        }
      }
      if (bad.isEmpty()) {
        out.append("<p>None: every training finished with a finite loss.</p>\n");
        return;
      }
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
      if (drawn > 0) {
        out.append("<figure>");
        image(c, "training loss of diverged trials");
        out.append("<figcaption>Loss curves up to the point where training stopped.")
            .append("</figcaption></figure>\n");
      }
      out.append("<table><tr><th>round</th><th>trial</th><th>shard</th><th>status</th>")
          .append("<th>epochs run</th><th>reason</th><th>parameters</th></tr>\n");
      for (ReplicateScore s : bad) {
        out.append("<tr><td>")
            .append(s.round() + 1)
            .append("</td><td>")
            .append(s.trial())
            .append("</td><td>")
            .append(s.shard())
            .append("</td><td class=\"")
            .append(s.status() == Status.DIVERGED ? "diverged" : "failed")
            .append("\">")
            .append(s.status())
            .append("</td><td>")
            .append(s.epochsRun())
            .append("</td><td>")
            .append(esc(s.reason() == null ? "" : s.reason()))
            .append("</td><td>")
            .append(esc(paramsText(paramsOf(s.round(), s.trial()))))
            .append("</td></tr>\n");
      }
      out.append("</table>\n");
    }

    private void spreadSection() {
      out.append("<h2 id=\"spread\">Spread across shards</h2>\n");
      XYChart c =
          Charts.chart(
              "Mean \u00b1 std over shards, trials ranked within each round",
              "rank within round (1 = best)",
              "validation " + metric);
      c.getStyler().setErrorBarsColorSeriesColor(true);
      boolean spread = false;
      for (Round r : rounds) {
        List<TrialRow> ok = r.trials().stream().filter(TrialRow::ok).sorted(bestFirst).toList();
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
      if (!c.getSeriesMap().isEmpty()) {
        out.append("<figure>");
        image(c, "mean and spread of each trial");
        out.append("<figcaption>")
            .append(
                spread
                    ? "When the bars of the leaders overlap, their order is noise."
                    : "Each trial ran on one shard: no spread to show (execution.replicas > 1"
                        + " gives one).")
            .append("</figcaption></figure>\n");
      }
      Round last = rounds.get(rounds.size() - 1);
      out.append("<h3>Leading trials of round ")
          .append(last.round() + 1)
          .append("</h3>\n<table><tr><th>trial</th><th>carried from</th><th>mean</th>")
          .append("<th>std</th><th>n</th><th>min</th><th>max</th><th>parameters</th></tr>\n");
      last.trials().stream()
          .filter(TrialRow::ok)
          .sorted(bestFirst)
          .limit(10)
          .forEach(
              t ->
                  out.append("<tr><td>")
                      .append(t.trial())
                      .append("</td><td>")
                      .append(t.carriedFrom() >= 0 ? Integer.toString(t.carriedFrom()) : "")
                      .append("</td><td>")
                      .append(fmt(t.mean()))
                      .append("</td><td>")
                      .append(fmt(t.std()))
                      .append("</td><td>")
                      .append(t.n())
                      .append("</td><td>")
                      .append(fmt(t.min()))
                      .append("</td><td>")
                      .append(fmt(t.max()))
                      .append("</td><td>")
                      .append(esc(paramsText(t.params())))
                      .append("</td></tr>\n"));
      out.append("</table>\n");
    }

    private void configSection() {
      out.append("<h2 id=\"config\">Resolved configuration</h2>\n<pre>")
          .append(esc(config))
          .append("</pre>\n");
    }

    private void image(XYChart c, String alt) {
      out.append("<img class=\"chart\" width=\"")
          .append(Charts.WIDTH)
          .append("\" height=\"")
          .append(Charts.HEIGHT)
          .append("\" alt=\"")
          .append(esc(alt))
          .append("\" src=\"")
          .append(Charts.dataUri(c))
          .append("\">");
    }

    /** The searched parameters, in the order of the first round's region (or of the trials). */
    private List<String> parameters() {
      Set<String> names = new LinkedHashSet<>();
      rounds.get(0).region().path("sampled").fieldNames().forEachRemaining(names::add);
      if (names.isEmpty()) {
        for (Round r : rounds) {
          for (TrialRow t : r.trials()) {
            t.params().fieldNames().forEachRemaining(names::add);
          }
        }
      }
      return new ArrayList<>(names);
    }

    private String scaleOf(String p) {
      JsonNode b = rounds.get(0).region().path("bounds").path(p);
      if (b.has("scale")) {
        return b.get("scale").asText();
      }
      // Studies written before region.json carried bounds: the description starts with the scale.
      String d = rounds.get(0).region().path("sampled").path(p).asText("");
      int cut = d.indexOf('[') >= 0 ? d.indexOf('[') : d.indexOf('(');
      return cut > 0 ? d.substring(0, cut) : "linear";
    }

    private List<String> choiceValues(String p) {
      Set<String> v = new LinkedHashSet<>();
      for (JsonNode x : rounds.get(0).region().path("bounds").path(p).path("values")) {
        v.add(value(x));
      }
      for (Round r : rounds) {
        for (TrialRow t : r.trials()) {
          if (t.params().has(p)) {
            v.add(value(t.params().get(p)));
          }
        }
      }
      return new ArrayList<>(v);
    }

    private String regionText(Round r, String p) {
      String d = r.region().path("sampled").path(p).asText("");
      JsonNode b = r.region().path("bounds").path(p);
      if (!b.has("low")) {
        return d;
      }
      double lo = b.get("low").asDouble();
      double hi = b.get("high").asDouble();
      String width =
          dev.caviar.space.Scales.named(b.path("scale").asText())
              .widthText(lo, hi)
              .orElse("width " + fmt(hi - lo));
      return d + " (" + width + ")";
    }

    private List<ReplicateScore> replicatesOf(Round r, int trial) {
      return r.scores().stream().filter(s -> s.trial() == trial).toList();
    }

    private JsonNode paramsOf(int round, int trial) {
      for (Round r : rounds) {
        if (r.round() == round) {
          for (TrialRow t : r.trials()) {
            if (t.trial() == trial) {
              return t.params();
            }
          }
        }
      }
      return JSON.createObjectNode();
    }
  }

  private static double median(List<TrialRow> sorted) {
    int n = sorted.size();
    return n % 2 == 1
        ? sorted.get(n / 2).mean()
        : (sorted.get(n / 2 - 1).mean() + sorted.get(n / 2).mean()) / 2;
  }

  // Spreads a categorical strip's points sideways without randomness: the golden-ratio sequence.
  private static double jitter(int trial) {
    double frac = (trial * 0.6180339887498949) % 1.0;
    return (frac - 0.5) * 0.5;
  }

  private static String ruleFlag(String rule) {
    String cls = BOUNDARY_RULES.contains(rule) ? "flag edge" : "flag";
    return "<span class=\"" + cls + "\">" + esc(rule) + "</span>";
  }

  private static String paramsText(JsonNode params) {
    Map<String, String> m = new TreeMap<>();
    params.fields().forEachRemaining(e -> m.put(e.getKey(), value(e.getValue())));
    return m.toString();
  }

  private static String value(JsonNode v) {
    if (v.isNumber() && !v.isIntegralNumber()) {
      return fmt(v.asDouble());
    }
    return v.asText();
  }

  static String fmt(double v) {
    if (Double.isNaN(v)) {
      return "-";
    }
    if (v != 0 && (Math.abs(v) < 1e-3 || Math.abs(v) >= 1e5)) {
      return String.format(Locale.ROOT, "%.3g", v);
    }
    return String.format(Locale.ROOT, "%.4f", v).replaceAll("0+$", "").replaceAll("\\.$", "");
  }

  static String esc(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }

  private static final String CSS =
      "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:2em auto;"
          + "max-width:1340px;padding:0 1em;color:#222}"
          + "h1{font-size:1.6em}h2{margin-top:2em;border-bottom:1px solid #ddd}"
          + ".meta{color:#666}.warn{background:#fff4e0;padding:.5em}"
          + "table{border-collapse:collapse;margin:.5em 0;font-size:.9em}"
          + "th,td{border:1px solid #ddd;padding:3px 8px;text-align:left;vertical-align:top}"
          + "th{background:#f5f5f5}table.kv th{width:12em}"
          + "td.diverged,td.failed{color:#b03000;font-weight:bold}"
          + ".flag{padding:0 4px;border-radius:3px;background:#e8eef8;font-family:monospace}"
          + ".flag.edge{background:#fde2c8;color:#8a3b00;font-weight:bold}"
          + ".grid{display:flex;flex-wrap:wrap;gap:1em}figure{margin:0;max-width:"
          + Charts.WIDTH
          + "px}figcaption{font-size:.85em;color:#444}img.chart{max-width:100%;height:auto}"
          + "pre{background:#f8f8f8;padding:1em;overflow:auto;font-size:.85em}";
}
