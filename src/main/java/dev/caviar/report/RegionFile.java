package dev.caviar.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.caviar.space.Domain;
import dev.caviar.space.Region;
import dev.caviar.study.NarrowingRecord;
import dev.caviar.study.NarrowingRecord.Rule;
import dev.caviar.study.RoundRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A round's {@code region.json}: the region it sampled (as text and as bounds, so that readers need
 * not parse text) and what the narrowing after it did to each parameter. Written by the round loop,
 * read back by the report, {@code caviar show} and a warm start.
 */
public final class RegionFile {
  public static final String NAME = "region.json";

  private static final String ROUND = "round";
  private static final String EPOCHS = "epochs";
  private static final String SAMPLED = "sampled";
  private static final String BOUNDS = "bounds";
  private static final String NARROWING = "narrowing";
  private static final String PARAMETER = "parameter";
  private static final String OLD = "old";
  private static final String NEW = "new";
  private static final String OLD_BOUNDS = "oldBounds";
  private static final String NEW_BOUNDS = "newBounds";
  private static final String RULE = "rule";
  private static final String ELITE = "eliteCount";
  private static final String NOTE = "note";

  private RegionFile() {}

  /**
   * One round's region as read back.
   *
   * @param sampled each parameter's range as text ({@link Domain#describe})
   * @param bounds each parameter's range; absent for files written before bounds were recorded
   */
  public record Round(
      int round,
      int epochs,
      Map<String, String> sampled,
      Map<String, Domain> bounds,
      List<Narrowing> narrowing) {
    public Round {
      sampled = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(sampled));
      bounds = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(bounds));
      narrowing = List.copyOf(narrowing);
    }
  }

  /**
   * What one narrowing did to one parameter.
   *
   * @param oldBounds the range before, or null in files written before bounds were recorded
   * @param newBounds the range after, likewise
   */
  public record Narrowing(
      String parameter,
      String oldRange,
      String newRange,
      Domain oldBounds,
      Domain newBounds,
      Rule rule,
      int eliteCount,
      String note) {
    public Narrowing {
      if (parameter == null || rule == null) {
        throw new IllegalArgumentException("narrowing: parameter and rule are required");
      }
    }

    /** Whether the elite sat at an edge of the range: the range was wrong there. */
    public boolean atEdge() {
      return rule == Rule.WIDENED_LOW || rule == Rule.WIDENED_HIGH || rule == Rule.EDGE_AT_LIMIT;
    }
  }

  /** The text of a round's {@code region.json}. */
  public static String json(RoundRecord rec) {
    ObjectNode o = Cells.JSON.createObjectNode();
    o.put(ROUND, rec.round());
    o.put(EPOCHS, rec.epochs());
    ObjectNode sampled = o.putObject(SAMPLED);
    for (Map.Entry<String, Domain> e : rec.region().domains().entrySet()) {
      sampled.put(e.getKey(), e.getValue().describe());
    }
    ObjectNode bounds = o.putObject(BOUNDS);
    for (Map.Entry<String, Domain> e : rec.region().domains().entrySet()) {
      bounds.set(e.getKey(), DomainJson.node(e.getValue()));
    }
    ArrayNode narrowing = o.putArray(NARROWING);
    for (NarrowingRecord n : rec.narrowing()) {
      ObjectNode x = narrowing.addObject();
      x.put(PARAMETER, n.parameter());
      x.put(OLD, n.oldRange().describe());
      x.put(NEW, n.newRange().describe());
      x.set(OLD_BOUNDS, DomainJson.node(n.oldRange()));
      x.set(NEW_BOUNDS, DomainJson.node(n.newRange()));
      x.put(RULE, n.rule().name());
      x.put(ELITE, n.eliteCount());
      x.put(NOTE, n.note());
    }
    return Cells.pretty(o);
  }

  /**
   * Reads a {@code region.json}.
   *
   * @param source the file's name, for error messages
   * @throws IllegalArgumentException naming the file when it is not a region file
   */
  public static Round read(String text, String source) {
    try {
      JsonNode o = Cells.JSON.readTree(text);
      Map<String, String> sampled = new LinkedHashMap<>();
      o.path(SAMPLED).properties().forEach(e -> sampled.put(e.getKey(), e.getValue().asText()));
      Map<String, Domain> bounds = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> e : o.path(BOUNDS).properties()) {
        bounds.put(e.getKey(), DomainJson.read(e.getValue()));
      }
      List<Narrowing> narrowing = new ArrayList<>();
      for (JsonNode n : o.path(NARROWING)) {
        narrowing.add(
            new Narrowing(
                n.path(PARAMETER).asText(),
                n.path(OLD).asText(),
                n.path(NEW).asText(),
                n.has(OLD_BOUNDS) ? DomainJson.read(n.get(OLD_BOUNDS)) : null,
                n.has(NEW_BOUNDS) ? DomainJson.read(n.get(NEW_BOUNDS)) : null,
                Rule.valueOf(n.path(RULE).asText()),
                n.path(ELITE).asInt(),
                n.path(NOTE).asText()));
      }
      return new Round(o.path(ROUND).asInt(), o.path(EPOCHS).asInt(), sampled, bounds, narrowing);
    } catch (com.fasterxml.jackson.core.JsonProcessingException | RuntimeException e) {
      throw new IllegalArgumentException(source + ": not a region file: " + e.getMessage(), e);
    }
  }

  /**
   * The region an earlier study would have sampled next: the bounds its last complete round sampled
   * (the outcome of its last narrowing).
   *
   * @throws IllegalArgumentException naming the directory or file when there is no complete round
   *     or the file cannot be read as a region
   */
  public static Region finalRegion(StudyDirectory earlier) {
    List<Integer> rounds = earlier.completeRounds();
    if (rounds.isEmpty()) {
      throw new IllegalArgumentException(
          "study.warmStart: " + earlier.root() + " holds no complete round to start from");
    }
    String file = earlier.roundPath(rounds.get(rounds.size() - 1)) + "/" + NAME;
    String source = earlier.resolve(file).toString();
    Round r;
    try {
      r = read(earlier.readText(file), source);
    } catch (java.io.UncheckedIOException e) {
      throw new IllegalArgumentException(
          "study.warmStart: " + source + ": not a region file: " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("study.warmStart: " + e.getMessage(), e);
    }
    if (r.bounds().isEmpty()) {
      throw new IllegalArgumentException(
          "study.warmStart: " + source + ": not a region file: no bounds");
    }
    return new Region(new TreeMap<>(r.bounds()));
  }
}
