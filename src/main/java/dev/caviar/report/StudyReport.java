package dev.caviar.report;

import dev.caviar.study.NarrowingRecord.Rule;
import dev.caviar.study.ReplicateScore;
import dev.caviar.study.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.XYChart;

/**
 * The study report: one self-contained HTML file ({@value #FILE}) in the study directory, with the
 * best configuration, the per-round summary and narrowing, score against each hyperparameter on its
 * own scale with every round's region, learning curves and the spread across shards. Charts are PNG
 * images inside the file and there is no script, so it opens offline in any browser.
 *
 * <p>It reads only what the study wrote ({@link StudyResults}), so it works on a finished study, an
 * interrupted one, and on any Hadoop file system. Three parts: the data it shows ({@link
 * ReportData}), the charts ({@link ReportCharts}) and the markup (here, through {@link Html}). This
 * file is the markup alone, one short method per section (diverged, stopped early, babysitting,
 * spread ...): long because the report has many sections, not because it does two things.
 */
public final class StudyReport {
  public static final String FILE = "report.html";

  private final ReportData data;
  private final ReportCharts charts;
  private final Html out = new Html();

  private StudyReport(StudyResults study) {
    this.data = new ReportData(study);
    this.charts = new ReportCharts(data);
  }

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
    StudyResults study;
    try {
      study = StudyResults.read(dir);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(e.getMessage() + "; nothing to report", e);
    }
    if (study.rounds().isEmpty()) {
      throw new IllegalArgumentException(
          dir.root() + ": the study has no complete round yet; nothing to report");
    }
    return new StudyReport(study).render();
  }

  private String render() {
    BestFile.Record best = data.study.best();
    String name = best != null ? best.study() : "study";
    out.raw("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n")
        .raw("<title>Caviar report: ")
        .text(name)
        .raw("</title>\n<style>")
        .raw(ReportStyle.CSS)
        .raw("</style></head><body>\n");
    out.raw("<h1>Caviar study <code>")
        .text(name)
        .raw("</code></h1>\n<p class=\"meta\">")
        .text(data.study.root())
        .raw(" &middot; ")
        .raw(data.rounds().size())
        .raw(" complete round(s) &middot; metric: validation ")
        .text(data.metric)
        .raw("</p>\n");
    bestSection(best);
    roundsSection();
    parameterSection();
    curvesSection();
    babysittingSection();
    spreadSection();
    out.raw("<h2 id=\"config\">Resolved configuration</h2>\n<pre>")
        .text(data.study.config())
        .raw("</pre>\n");
    out.raw("</body></html>\n");
    return out.toString();
  }

  private void bestSection(BestFile.Record best) {
    out.raw("<h2 id=\"best\">Best configuration</h2>\n");
    if (best == null) {
      out.raw(
          "<p class=\"warn\">The study has not finished (no <code>best.json</code>):"
              + " the rounds below are the complete ones; <code>tune --resume</code>"
              + " continues it.</p>\n");
      return;
    }
    TrialRecord w = best.best();
    BestFile.Final fin = best.fin();
    out.raw("<p>Trial ")
        .raw(w.trial())
        .raw(" of round ")
        .raw(w.round() + 1)
        .raw(": validation ")
        .text(data.metric)
        .raw(" <b>")
        .raw(fmt(w.mean()))
        .raw(" &plusmn; ")
        .raw(fmt(w.std()))
        .raw("</b> over ")
        .raw(w.n())
        .raw(" shard(s). ")
        .raw(finalStep(fin, best.configuration().get("epochs")))
        .raw(": <b>test accuracy ")
        .raw(fmt(fin.testAccuracy()))
        .raw("</b>, test loss ")
        .raw(fmt(fin.testLoss()))
        .raw(".</p>\n");
    expectedScore(best.expected());
    out.raw("<table class=\"kv\">");
    for (Map.Entry<String, Object> e : best.configuration().entrySet()) {
      out.raw("<tr>").el("th", e.getKey()).el("td", ReportData.value(e.getValue())).raw("</tr>");
    }
    out.raw("</table>\n");
    if (best.ties().isEmpty()) {
      out.raw("<p>No other trial is statistically tied with it.</p>\n");
      return;
    }
    out.raw("<p>Tied within noise (not significantly worse):</p>\n<table><tr>")
        .headers("round", "trial", "mean", "std", "n", "parameters")
        .raw("</tr>\n");
    for (TrialRecord t : best.ties()) {
      out.row(
          t.round() + 1,
          t.trial(),
          fmt(t.mean()),
          fmt(t.std()),
          t.n(),
          ReportData.paramsText(t.params()));
    }
    out.raw("</table>\n");
  }

  /** The final model's expected score: validation, corrected for selection, test. */
  private void expectedScore(BestFile.Expected e) {
    String metric = data.metric;
    out.raw("<p>Expected ").text(metric).raw(" of the final model:</p>\n<table class=\"kv\">");
    if (e == null) {
      out.raw("<tr><th>corrected for selection</th><td>not available: <code>best.json</code>")
          .raw(" was written before the estimate was recorded</td></tr></table>\n");
      return;
    }
    out.raw("<tr><th>winner's validation</th><td><b>")
        .raw(fmt(e.validation()))
        .raw("</b>: the best of the last round's trials on the validation rows it was chosen on,")
        .raw(" so optimistic</td></tr>\n<tr><th>corrected for selection</th><td>");
    if (e.available()) {
      out.raw("<b>")
          .raw(fmt(e.selectionCorrected()))
          .raw("</b>: what the winner's validation score would be if the winner had not been")
          .raw(" chosen on the same rows; ")
          .text(e.method());
      if (e.pool() >= 2) {
        out.raw(" (trial ")
            .raw(e.pickedByA())
            .raw(" picked by the even rows, trial ")
            .raw(e.pickedByB())
            .raw(" by the odd rows)");
      }
    } else {
      out.text(e.method());
    }
    out.raw("</td></tr>\n<tr><th>test</th><td>");
    if (Double.isNaN(e.test())) {
      out.raw("no test rows");
    } else {
      out.raw("<b>").raw(fmt(e.test())).raw("</b>: the final model on the test rows");
    }
    out.raw("</td></tr></table>\n<p class=\"meta\">The correction covers the last pick only, not")
        .raw(" the narrowing of earlier rounds, which looked at every validation row.</p>\n");
  }

  private void roundsSection() {
    List<String> params = data.parameters();
    out.raw("<h2 id=\"rounds\">Rounds</h2>\n<table class=\"rounds\"><tr>")
        .headers(
            "round",
            "epochs",
            "trials",
            "carried",
            "DIVERGED",
            "FAILED",
            "STOPPED",
            "replicates",
            "best",
            "median")
        .headers(params.toArray(new String[0]))
        .raw("</tr>\n");
    for (StudyResults.RoundResults r : data.rounds()) {
      RoundSummary s = r.summary();
      out.raw("<tr>")
          .el("td", s.round() + 1)
          .el("td", s.epochs())
          .el("td", s.trials())
          .el("td", s.carried())
          .raw("<td class=\"diverged\">")
          .raw(s.diverged())
          .raw("</td><td class=\"failed\">")
          .raw(s.failed())
          .raw("</td>")
          .el("td", s.stopped())
          .el("td", s.replicates())
          .el("td", fmt(s.best()))
          .el("td", fmt(s.median()));
      for (String p : params) {
        out.el("td", data.regionText(r, p));
      }
      out.raw("</tr>\n");
    }
    out.raw("</table>\n<h3>Narrowing</h3>\n");
    List<Runnable> rows = new ArrayList<>();
    for (StudyResults.RoundResults r : data.rounds()) {
      for (RegionFile.Narrowing n : r.region().narrowing()) {
        if (n.rule() != Rule.UNCHANGED) {
          rows.add(
              () ->
                  out.raw("<tr>")
                      .el("td", r.round() + 1)
                      .el("td", n.parameter())
                      .el("td", n.oldRange())
                      .el("td", n.newRange())
                      .raw("<td>")
                      .raw(ruleFlag(n))
                      .raw("</td>")
                      .el("td", n.eliteCount())
                      .el("td", n.note())
                      .raw("</tr>\n"));
        }
      }
    }
    if (rows.isEmpty()) {
      out.raw("<p>No round changed a range.</p>\n");
      return;
    }
    out.raw("<table><tr>")
        .headers("after round", "parameter", "sampled", "next", "rule", "elite", "why")
        .raw("</tr>\n");
    rows.forEach(Runnable::run);
    out.raw("</table>\n");
  }

  private void parameterSection() {
    out.raw("<h2 id=\"parameters\">Score against each hyperparameter</h2>\n")
        .raw("<p>Each point is a trial (mean over its shards), coloured by round, on the")
        .raw(" parameter's own scale. Dashed lines: the range each round sampled. Crosses")
        .raw(" at the bottom: trials that diverged or failed.</p>\n<div class=\"grid\">");
    for (String p : data.parameters()) {
      XYChart c = charts.parameter(p);
      out.raw("<figure>");
      if (c == null) {
        out.raw("<p>").text(p).raw(": no trial used it.</p>");
      } else {
        out.chart(c, p + " against validation " + data.metric);
      }
      out.raw("<figcaption><b>").text(p).raw("</b> (").text(data.scaleOf(p)).raw(")");
      for (StudyResults.RoundResults r : data.rounds()) {
        for (RegionFile.Narrowing n : r.region().narrowing()) {
          if (p.equals(n.parameter()) && n.rule() != Rule.UNCHANGED) {
            out.raw("<br>after round ")
                .raw(r.round() + 1)
                .raw(": ")
                .raw(ruleFlag(n))
                .raw(" ")
                .text(n.oldRange())
                .raw(" &rarr; ")
                .text(n.newRange());
          }
        }
      }
      out.raw("</figcaption></figure>\n");
    }
    out.raw("</div>\n");
  }

  private void curvesSection() {
    out.raw("<h2 id=\"curves\">Learning curves</h2>\n");
    List<TrialRecord> top =
        data.bestFirst(data.last()).stream().limit(ReportCharts.BEST_CURVES).toList();
    if (top.isEmpty()) {
      out.raw("<p>No trial of the last round finished.</p>\n");
    } else {
      ReportCharts.Curves curves = charts.curves(top);
      out.raw("<div class=\"grid\">");
      if (!curves.loss().getSeriesMap().isEmpty()) {
        out.raw("<figure>")
            .chart(curves.loss(), "learning curves of the best trials")
            .raw("<figcaption>Training loss falling while validation loss rises means")
            .raw(" overfitting; both flat and high means too small a learning rate or")
            .raw(" model.</figcaption></figure>\n<figure>")
            .chart(curves.gap(), "train/validation gap of the best trials")
            .raw("<figcaption>A gap growing with the epochs is overfitting.</figcaption>")
            .raw("</figure>\n");
      }
      out.raw("</div>\n");
    }
    divergedSection();
    stoppedSection();
  }

  private void stoppedSection() {
    out.raw("<h3 id=\"stopped\">Stopped early</h3>\n");
    List<ReplicateScore> stopped = new ArrayList<>();
    for (StudyResults.RoundResults r : data.rounds()) {
      r.scores().stream().filter(s -> s.status() == Status.STOPPED).forEach(stopped::add);
    }
    if (stopped.isEmpty()) {
      out.raw("<p>None: every trial that did not diverge trained its round's epochs.</p>\n");
      return;
    }
    out.raw(
            "<p>Early stopping ranked the trials at each checkpoint of a round on the validation"
                + " metric; these ranked below the share that trained on. Their scores are the"
                + " checkpoint's, not comparable with the round's full-epoch scores.</p>\n")
        .raw("<table><tr>")
        .headers("round", "trial", "shard", "epochs run", "accuracy", "loss", "rule", "parameters")
        .raw("</tr>\n");
    for (ReplicateScore s : stopped) {
      out.raw("<tr>")
          .el("td", s.round() + 1)
          .el("td", s.trial())
          .el("td", s.shard())
          .el("td", s.epochsRun())
          .el("td", fmt(s.validationAccuracy()))
          .el("td", fmt(s.validationLoss()))
          .el("td", s.reason())
          .el("td", ReportData.paramsText(data.paramsOf(s.round(), s.trial())))
          .raw("</tr>\n");
    }
    out.raw("</table>\n");
  }

  private void divergedSection() {
    out.raw("<h3 id=\"diverged\">Diverged and failed trials</h3>\n");
    List<ReplicateScore> bad = new ArrayList<>();
    for (StudyResults.RoundResults r : data.rounds()) {
      r.scores().stream()
          .filter(s -> s.status() == Status.DIVERGED || s.status() == Status.FAILED)
          .forEach(bad::add);
    }
    if (bad.isEmpty()) {
      out.raw("<p>None: every training finished with a finite loss.</p>\n");
      return;
    }
    XYChart c = charts.diverged(bad);
    if (c != null) {
      out.raw("<figure>")
          .chart(c, "training loss of diverged trials")
          .raw("<figcaption>Loss curves up to the point where training stopped.")
          .raw("</figcaption></figure>\n");
    }
    out.raw("<table><tr>")
        .headers("round", "trial", "shard", "status", "epochs run", "reason", "parameters")
        .raw("</tr>\n");
    for (ReplicateScore s : bad) {
      out.raw("<tr>")
          .el("td", s.round() + 1)
          .el("td", s.trial())
          .el("td", s.shard())
          .raw("<td class=\"")
          .raw(s.status() == Status.DIVERGED ? "diverged" : "failed")
          .raw("\">")
          .raw(s.status())
          .raw("</td>")
          .el("td", s.epochsRun())
          .el("td", s.reason() == null ? "" : s.reason())
          .el("td", ReportData.paramsText(data.paramsOf(s.round(), s.trial())))
          .raw("</tr>\n");
    }
    out.raw("</table>\n");
  }

  /** The most flagged replicates listed; the rest are counted. */
  static final int FLAGGED_ROWS = 20;

  private void babysittingSection() {
    out.raw("<h2 id=\"babysitting\">Babysitting</h2>\n")
        .raw("<p>The course's checks on every training: the initial loss should be about ln C")
        .raw(" (a uniform softmax), and the update/weight ratio ||&Delta;W|| / ||W|| of each")
        .raw(" weight matrix about 1e-3 (flagged outside 1e-4..1e-2: below, the learning rate")
        .raw(" is too low; above, too high).</p>\n");
    List<ReplicateScore> all = new ArrayList<>();
    data.rounds().forEach(r -> all.addAll(r.scores()));
    List<ReplicateScore> started = all.stream().filter(s -> !Double.isNaN(s.lnClasses())).toList();
    if (started.isEmpty()) {
      out.raw("<p>This study recorded no babysitting figures (written by an older build).</p>\n");
      return;
    }
    List<ReplicateScore> flagged =
        started.stream().filter(s -> !s.babysitting().isEmpty()).toList();
    double lo = started.stream().mapToDouble(ReplicateScore::initialLoss).min().orElse(Double.NaN);
    double hi = started.stream().mapToDouble(ReplicateScore::initialLoss).max().orElse(Double.NaN);
    out.raw("<p>Initial loss over ")
        .raw(started.size())
        .raw(" training(s): ")
        .raw(fmt(lo))
        .raw(" to ")
        .raw(fmt(hi))
        .raw(", ln C = ")
        .raw(fmt(started.get(0).lnClasses()))
        .raw(". <b>")
        .raw(flagged.size())
        .raw("</b> training(s) flagged.")
        .text(trainedOn(all))
        .raw("</p>\n");
    List<TrialRecord> top =
        data.bestFirst(data.last()).stream().limit(ReportCharts.BEST_CURVES).toList();
    List<ReplicateScore> shown = new ArrayList<>();
    for (TrialRecord t : top) {
      data.replicatesOf(data.last(), t.trial()).stream().limit(1).forEach(shown::add);
    }
    XYChart c = charts.updateRatios(shown);
    if (c != null) {
      out.raw("<figure>")
          .chart(c, "update/weight ratios of the best trials")
          .raw("<figcaption>The best trials of the last round, one replicate each: solid the")
          .raw(" first weight matrix, dashed the others; the red dashed lines bound the")
          .raw(" healthy band.</figcaption></figure>\n");
    }
    if (flagged.isEmpty()) {
      return;
    }
    out.raw("<table><tr>")
        .headers("round", "trial", "shard", "status", "initial loss", "ln C", "ratios", "flags")
        .raw("</tr>\n");
    for (ReplicateScore s : flagged.stream().limit(FLAGGED_ROWS).toList()) {
      out.row(
          s.round() + 1,
          s.trial(),
          s.shard(),
          s.status(),
          fmt(s.initialLoss()),
          fmt(s.lnClasses()),
          fmt(s.minUpdateRatio()) + " .. " + fmt(s.maxUpdateRatio()),
          s.babysitting());
    }
    out.raw("</table>\n");
    if (flagged.size() > FLAGGED_ROWS) {
      out.raw("<p>and ")
          .raw(flagged.size() - FLAGGED_ROWS)
          .raw(" more (the <code>babysitting</code> column of <code>replicates.csv</code>).</p>\n");
    }
  }

  // Where the trainings ran, e.g. " Trained on driver (JNIBLAS): 48."; empty when not recorded.
  private static String trainedOn(List<ReplicateScore> all) {
    java.util.Map<String, Long> by =
        new java.util.TreeMap<>(
            all.stream()
                .filter(s -> s.executor() != null)
                .collect(
                    java.util.stream.Collectors.groupingBy(
                        s -> s.executor() + " (" + shortName(s.blas()) + ")",
                        java.util.stream.Collectors.counting())));
    if (by.isEmpty()) {
      return "";
    }
    StringBuilder sb = new StringBuilder(" Trained on ");
    by.forEach((k, v) -> sb.append(k).append(": ").append(v).append(", "));
    sb.setLength(sb.length() - 2);
    return sb.append('.').toString();
  }

  private static String shortName(String className) {
    return className == null ? "?" : className.substring(className.lastIndexOf('.') + 1);
  }

  private void spreadSection() {
    out.raw("<h2 id=\"spread\">Spread across shards</h2>\n");
    ReportCharts.Spread spread = charts.spread();
    if (!spread.chart().getSeriesMap().isEmpty()) {
      out.raw("<figure>")
          .chart(spread.chart(), "mean and spread of each trial")
          .raw("<figcaption>")
          .raw(
              spread.anySpread()
                  ? "When the bars of the leaders overlap, their order is noise."
                  : "Each trial ran one replicate: no spread to show (execution.replicas > 1"
                      + " gives one to every trial, a round's confirm to its best).")
          .raw("</figcaption></figure>\n");
    }
    StudyResults.RoundResults last = data.last();
    out.raw("<h3>Leading trials of round ")
        .raw(last.round() + 1)
        .raw("</h3>\n<table><tr>")
        .headers("trial", "carried from", "mean", "std", "n", "min", "max", "parameters")
        .raw("</tr>\n");
    for (TrialRecord t : data.bestFirst(last).stream().limit(10).toList()) {
      out.row(
          t.trial(),
          t.carriedFrom() >= 0 ? Integer.toString(t.carriedFrom()) : "",
          fmt(t.mean()),
          fmt(t.std()),
          t.n(),
          fmt(t.min()),
          fmt(t.max()),
          ReportData.paramsText(t.params()));
    }
    out.raw("</table>\n");
  }

  private static String ruleFlag(RegionFile.Narrowing n) {
    String cls = n.atEdge() ? "flag edge" : "flag";
    return "<span class=\"" + cls + "\">" + Html.esc(n.rule().name()) + "</span>";
  }

  private static String fmt(double v) {
    return ReportData.fmt(v);
  }

  /**
   * How the final model was made, by {@code best.json}'s kind (retrained when it predates kinds).
   */
  static String finalStep(BestFile.Final fin, Object roundEpochs) {
    int plus = fin.kind().indexOf(" + ");
    String fromRound = plus < 0 ? fin.kind() : fin.kind().substring(0, plus);
    String step =
        switch (fromRound) {
          case "last round" -> "The final model is the last round's best networks, as trained";
          case "last round continued" ->
              "The final model is the last round's best networks, trained on all training rows"
                  + " from epoch "
                  + roundEpochs
                  + " to epoch "
                  + fin.epochs();
          default -> "Retrained on all training rows for " + fin.epochs() + " epochs";
        };
    if (plus < 0) {
      return step;
    }
    long retrained = fin.members().stream().filter(m -> !"trial".equals(m.role())).count();
    return step
        + ", averaged with "
        + retrained
        + (fin.kind().endsWith("shard ensemble")
            ? " network(s) of the best configuration retrained from their seeds, one per shard on"
                + " all of that shard's rows,"
            : " network(s) of the best configuration retrained from their seeds on all training"
                + " rows")
        + " for "
        + roundEpochs
        + " epochs";
  }
}
