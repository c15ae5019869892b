package dev.caviar.study;

import dev.caviar.space.Domain;
import dev.caviar.space.Parameter;
import dev.caviar.space.Region;
import dev.caviar.space.SearchSpace;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Coarse-to-fine: from one round's results, the region for the next.
 *
 * <p>The elite are the best OK trials by mean (DIVERGED and FAILED trials never count). For each
 * numeric parameter the new range is the elite's hull in the transformed coordinate, padded by
 * {@code margin} times the current width, clipped to the hard limits and kept at least {@code
 * minWidth} times the initial width. When the leading trials crowd an edge, the range was wrong:
 * that side widens by half the current width, up to the hard limit. Crowding is a one-sided test on
 * the leaders (the top quarter of the OK trials, at least the elite and at least three), not a
 * glance at the best trial: their mean position in the range must sit beyond 1/2 by 1.645 standard
 * deviations of the mean of as many uniform positions, and the outermost elite must lie in the
 * outer {@value #EDGE} of the range. A rule that fired whenever the best trials sat near an edge
 * widened most ranges on pure noise. When the best trial does not stand out from the median by two
 * combined standard errors of the replicates (a trial of one replicate taking the spread the
 * round's replicated trials measured), the ranking is noise: the range moves only half as far. A
 * choice keeps the values the elite use, topped up to {@code choiceFloor} values by the best of the
 * rest, so one lucky draw cannot eliminate the others too early.
 *
 * @param elite a fraction in (0, 1) of the OK trials, or an integer count >= 1
 * @param margin padding on each side, as a fraction of the current width
 * @param minWidth smallest width, as a fraction of the initial width (coordinates)
 * @param choiceFloor fewest values a choice keeps
 */
public record Narrower(double elite, double margin, double minWidth, int choiceFloor) {

  /** The outer share of a range that counts as its edge. */
  public static final double EDGE = 0.25;

  /** How far a crowded edge moves out, as a share of the current width. */
  public static final double WIDEN = 0.5;

  public Narrower {
    if (!(elite > 0) || (elite >= 1 && elite != Math.rint(elite))) {
      throw new IllegalArgumentException(
          "elite: must be a fraction in (0, 1) or a whole count >= 1, got " + elite);
    }
    if (!(margin >= 0 && margin <= 1)) {
      throw new IllegalArgumentException("margin: must be in [0, 1], got " + margin);
    }
    if (!(minWidth > 0 && minWidth <= 1)) {
      throw new IllegalArgumentException("minWidth: must be in (0, 1], got " + minWidth);
    }
    if (!(choiceFloor >= 1)) {
      throw new IllegalArgumentException("choiceFloor: must be >= 1, got " + choiceFloor);
    }
  }

  /** The next region and one record per parameter. */
  public record Narrowing(Region region, List<NarrowingRecord> records) {
    public Narrowing {
      records = List.copyOf(records);
    }
  }

  public int eliteCount(int okTrials) {
    if (okTrials == 0) {
      return 0;
    }
    int k = elite < 1 ? (int) Math.ceil(elite * okTrials) : (int) elite;
    return Math.max(1, Math.min(okTrials, k));
  }

  public Narrowing narrow(SearchSpace space, Region region, List<TrialResult> results) {
    region.checkAgainst(space);
    List<TrialResult> ok =
        results.stream()
            .filter(r -> r.status() == Status.OK)
            .sorted(TrialResult.BEST_FIRST)
            .toList();
    List<NarrowingRecord> records = new ArrayList<>();
    if (ok.isEmpty()) {
      for (Parameter p : space.parameters()) {
        Domain d = region.domain(p.name());
        records.add(
            new NarrowingRecord(
                p.name(), d, d, NarrowingRecord.Rule.UNCHANGED, 0, "no OK trial: region kept"));
      }
      return new Narrowing(region, records);
    }
    // Trials early stopping ended rank below every OK trial (they lost at a checkpoint), among
    // themselves by their checkpoint score: the elite is a share of the whole round, so stopping
    // half the trials does not halve the elite.
    List<TrialResult> ranked = new ArrayList<>(ok);
    results.stream()
        .filter(r -> r.status() == Status.STOPPED && Double.isFinite(r.mean()))
        .sorted(
            Comparator.comparingDouble((TrialResult r) -> -r.objective().score(r.mean()))
                .thenComparingInt(r -> r.trial().number()))
        .forEach(ranked::add);
    List<TrialResult> elites = ranked.subList(0, eliteCount(ranked.size()));
    // The crowding test needs more than one or two points to tell an edge from luck: it looks at
    // the top quarter of the ranked trials (at least the elite, at least three).
    List<TrialResult> leaders =
        ranked.subList(
            0, Math.min(ranked.size(), Math.max(elites.size(), Math.max(3, ranked.size() / 4))));
    String noise = withinNoise(ok);
    Region next = region;
    for (Parameter p : space.parameters()) {
      Domain d = region.domain(p.name());
      List<Object> values = new ArrayList<>();
      for (TrialResult r : elites) {
        Object v = r.trial().params().get(p.name());
        if (v != null) {
          values.add(v);
        }
      }
      NarrowingRecord rec;
      if (d instanceof Domain.Fixed) {
        rec = new NarrowingRecord(p.name(), d, d, NarrowingRecord.Rule.UNCHANGED, 0, "fixed");
      } else if (values.isEmpty()) {
        rec =
            new NarrowingRecord(
                p.name(), d, d, NarrowingRecord.Rule.UNCHANGED, 0, "inactive in every elite trial");
      } else if (d instanceof Domain.Choice c) {
        rec = narrowChoice(p, c, values, ok, noise);
      } else {
        rec = narrowNumeric(p, (Domain.Numeric) d, values, activeValues(leaders, p), noise);
      }
      records.add(rec);
      next = next.with(p.name(), rec.newRange());
    }
    return new Narrowing(next, records);
  }

  /** A note when the best trial does not stand out from the median trial, else null. */
  private static String withinNoise(List<TrialResult> ok) {
    TrialResult best = ok.get(0);
    TrialResult median = ok.get(ok.size() / 2);
    // A single replicate's spread is the one the round's replicated trials measured (a confirmed
    // round's leaders), else unknown (0).
    double se = TrialResult.combinedStandardError(best, median, TrialResult.pooledStd(ok));
    double gap = best.score() - median.score();
    if (se > 0 && gap < 2 * se) {
      return String.format(
          Locale.ROOT,
          "best and median trial differ by %.4g, within two standard errors (%.4g)",
          gap,
          2 * se);
    }
    return null;
  }

  private static List<Object> activeValues(List<TrialResult> results, Parameter p) {
    List<Object> values = new ArrayList<>();
    for (TrialResult r : results) {
      Object v = r.trial().params().get(p.name());
      if (v != null) {
        values.add(v);
      }
    }
    return values;
  }

  private NarrowingRecord narrowChoice(
      Parameter p, Domain.Choice c, List<Object> eliteValues, List<TrialResult> ok, String noise) {
    Domain.Choice initial = (Domain.Choice) p.domain();
    if (noise != null) {
      return new NarrowingRecord(
          p.name(), c, c, NarrowingRecord.Rule.WITHIN_NOISE, eliteValues.size(), noise);
    }
    Set<Object> keep = new LinkedHashSet<>(eliteValues);
    int floor = Math.min(choiceFloor, c.values().size());
    if (keep.size() < floor) {
      // Top up with the values whose best trial scored highest, then in declaration order.
      Map<Object, Double> bestScore = new HashMap<>();
      for (TrialResult r : ok) {
        Object v = r.trial().params().get(p.name());
        if (v != null) {
          bestScore.merge(v, r.score(), Math::max);
        }
      }
      List<Object> rest = new ArrayList<>(c.values());
      rest.removeAll(keep);
      rest.sort(
          Comparator.comparingDouble(
                  (Object v) -> -bestScore.getOrDefault(v, Double.NEGATIVE_INFINITY))
              .thenComparingInt(c.values()::indexOf));
      for (Object v : rest) {
        if (keep.size() >= floor) {
          break;
        }
        keep.add(v);
      }
    }
    Domain.Choice kept = initial.retain(keep);
    NarrowingRecord.Rule rule =
        kept.values().size() < c.values().size()
            ? NarrowingRecord.Rule.NARROWED
            : NarrowingRecord.Rule.UNCHANGED;
    return new NarrowingRecord(
        p.name(),
        c,
        kept,
        rule,
        eliteValues.size(),
        "elite use " + new LinkedHashSet<>(eliteValues));
  }

  private NarrowingRecord narrowNumeric(
      Parameter p,
      Domain.Numeric d,
      List<Object> eliteValues,
      List<Object> leaderValues,
      String noise) {
    Domain.Numeric initial = (Domain.Numeric) p.domain();
    double[] limitValues = p.limitValues();
    double limLo = d.coordinate(limitValues[0]);
    double limHi = d.coordinate(limitValues[1]);
    double lo0 = d.coordinate(d.lowBound());
    double hi0 = d.coordinate(d.highBound());
    double initialWidth =
        initial.coordinate(initial.highBound()) - initial.coordinate(initial.lowBound());
    double minW = minWidth * initialWidth;
    double width = Math.max(hi0 - lo0, minW);

    double eMinV = Double.POSITIVE_INFINITY;
    double eMaxV = Double.NEGATIVE_INFINITY;
    double[] t = new double[eliteValues.size()];
    for (int i = 0; i < t.length; i++) {
      double v = Domain.Numeric.number(eliteValues.get(i));
      eMinV = Math.min(eMinV, v);
      eMaxV = Math.max(eMaxV, v);
      t[i] = d.coordinate(v);
    }
    java.util.Arrays.sort(t);
    double eMin = t[0];
    double eMax = t[t.length - 1];
    double meanPosition = 0;
    for (Object v : leaderValues) {
      meanPosition += (d.coordinate(Domain.Numeric.number(v)) - lo0) / width / leaderValues.size();
    }
    double noiseBand = 1.645 * Math.sqrt(1.0 / 12 / leaderValues.size());

    double lo = Math.max(eMin - margin * width, Math.min(lo0, eMin));
    double hi = Math.min(eMax + margin * width, Math.max(hi0, eMax));
    NarrowingRecord.Rule rule = NarrowingRecord.Rule.NARROWED;
    String note;
    boolean crowdLow = meanPosition < 0.5 - noiseBand && eMin <= lo0 + EDGE * width;
    boolean crowdHigh = meanPosition > 0.5 + noiseBand && eMax >= hi0 - EDGE * width;
    if (noise != null) {
      lo = lo0 + (lo - lo0) / 2;
      hi = hi0 + (hi - hi0) / 2;
      rule = NarrowingRecord.Rule.WITHIN_NOISE;
      note = noise;
    } else if (crowdLow && !crowdHigh) {
      if (lo0 > limLo + 1e-12 * Math.max(1, Math.abs(limLo))) {
        lo = Math.max(limLo, lo0 - WIDEN * width);
        rule = NarrowingRecord.Rule.WIDENED_LOW;
        note = "elite crowd the low edge: widened toward the hard limit " + fmt(limitValues[0]);
      } else {
        lo = lo0;
        rule = NarrowingRecord.Rule.EDGE_AT_LIMIT;
        note = "elite crowd the low edge, which is the hard limit " + fmt(limitValues[0]);
      }
    } else if (crowdHigh && !crowdLow) {
      if (hi0 < limHi - 1e-12 * Math.max(1, Math.abs(limHi))) {
        hi = Math.min(limHi, hi0 + WIDEN * width);
        rule = NarrowingRecord.Rule.WIDENED_HIGH;
        note = "elite crowd the high edge: widened toward the hard limit " + fmt(limitValues[1]);
      } else {
        hi = hi0;
        rule = NarrowingRecord.Rule.EDGE_AT_LIMIT;
        note = "elite crowd the high edge, which is the hard limit " + fmt(limitValues[1]);
      }
    } else {
      note = "elite span " + fmt(eMinV) + " .. " + fmt(eMaxV);
    }
    lo = Math.max(lo, limLo);
    hi = Math.min(hi, limHi);
    if (hi - lo < minW) {
      double centre = (lo + hi) / 2;
      lo = centre - minW / 2;
      hi = centre + minW / 2;
      if (lo < limLo) {
        hi = Math.min(limHi, hi + (limLo - lo));
        lo = limLo;
      }
      if (hi > limHi) {
        lo = Math.max(limLo, lo - (hi - limHi));
        hi = limHi;
      }
    }
    // Back to values; the elite's own values bound the result exactly, whatever the rounding of
    // coordinate -> value, and the hard limits bound it from outside.
    double lowV = Math.max(limitValues[0], Math.min(d.value(lo), eMinV));
    double highV = Math.min(limitValues[1], Math.max(d.value(hi), eMaxV));
    Domain.Numeric out = d.withBounds(lowV, highV);
    if (out.equals(d) && rule == NarrowingRecord.Rule.NARROWED) {
      rule = NarrowingRecord.Rule.UNCHANGED;
    }
    return new NarrowingRecord(p.name(), d, out, rule, t.length, note);
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.4g", v);
  }
}
