package dev.caviar.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.caviar.study.EpochRecord;
import dev.caviar.study.ReplicateScore;
import dev.caviar.study.Status;
import dev.caviar.study.TrialResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The study's tables as text that opens anywhere: CSV for people and spreadsheets, JSON lines as
 * the exact record that {@code --resume} reads back (doubles written in their shortest
 * round-tripping form, so a resumed study sees bit-identical scores).
 */
public final class ResultTables {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ResultTables() {}

  static final String[] REPLICATE_COLUMNS = {
    "round",
    "trial",
    "shard",
    "seed",
    "status",
    "validationAccuracy",
    "validationLoss",
    "trainLoss",
    "epochsRun",
    "trainingMillis",
    "reason"
  };

  /** One row per (round, trial, shard). */
  public static String replicatesCsv(List<ReplicateScore> rows) {
    StringBuilder sb = new StringBuilder(String.join(",", REPLICATE_COLUMNS)).append('\n');
    for (ReplicateScore r : rows) {
      sb.append(r.round())
          .append(',')
          .append(r.trial())
          .append(',')
          .append(r.shard())
          .append(',')
          .append(r.seed())
          .append(',')
          .append(r.status())
          .append(',')
          .append(num(r.validationAccuracy()))
          .append(',')
          .append(num(r.validationLoss()))
          .append(',')
          .append(num(r.trainLoss()))
          .append(',')
          .append(r.epochsRun())
          .append(',')
          .append(r.trainingNanos() / 1_000_000)
          .append(',')
          .append(csv(r.reason()))
          .append('\n');
    }
    return sb.toString();
  }

  /** One row per (round, trial), with a column per hyperparameter (empty where inactive). */
  public static String trialsCsv(List<TrialResult> rows) {
    TreeSet<String> params = new TreeSet<>();
    for (TrialResult r : rows) {
      params.addAll(r.trial().params().keySet());
    }
    StringBuilder sb =
        new StringBuilder(
            "round,trial,carriedFrom,epochs,seed,status,metric,mean,std,n,min,max,diverged,failed");
    for (String p : params) {
      sb.append(',').append(p);
    }
    sb.append('\n');
    for (TrialResult r : rows) {
      sb.append(r.trial().round())
          .append(',')
          .append(r.trial().number())
          .append(',')
          .append(r.trial().carriedFrom())
          .append(',')
          .append(r.trial().epochs())
          .append(',')
          .append(r.trial().seed())
          .append(',')
          .append(r.status())
          .append(',')
          .append(r.objective().configName())
          .append(',')
          .append(num(r.mean()))
          .append(',')
          .append(num(r.std()))
          .append(',')
          .append(r.n())
          .append(',')
          .append(num(r.min()))
          .append(',')
          .append(num(r.max()))
          .append(',')
          .append(r.diverged())
          .append(',')
          .append(r.failed());
      for (String p : params) {
        Object v = r.trial().params().get(p);
        sb.append(',').append(v == null ? "" : csv(v.toString()));
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  /** The trial results as a JSON array (parameters as an object per trial). */
  public static String trialsJson(List<TrialResult> rows) {
    ArrayNode arr = JSON.createArrayNode();
    for (TrialResult r : rows) {
      arr.add(trialNode(r));
    }
    return pretty(arr);
  }

  public static ObjectNode trialNode(TrialResult r) {
    ObjectNode o = JSON.createObjectNode();
    o.put("round", r.trial().round());
    o.put("trial", r.trial().number());
    o.put("carriedFrom", r.trial().carriedFrom());
    o.put("epochs", r.trial().epochs());
    o.put("seed", r.trial().seed());
    o.put("status", r.status().name());
    o.put("metric", r.objective().configName());
    putNum(o, "mean", r.mean());
    putNum(o, "std", r.std());
    o.put("n", r.n());
    putNum(o, "min", r.min());
    putNum(o, "max", r.max());
    o.put("diverged", r.diverged());
    o.put("failed", r.failed());
    o.set("params", params(r.trial().params()));
    return o;
  }

  public static ObjectNode params(Map<String, Object> params) {
    ObjectNode p = JSON.createObjectNode();
    for (Map.Entry<String, Object> e : params.entrySet()) {
      Object v = e.getValue();
      if (v instanceof Integer i) {
        p.put(e.getKey(), i);
      } else if (v instanceof Double d) {
        p.put(e.getKey(), d);
      } else if (v instanceof Boolean b) {
        p.put(e.getKey(), b);
      } else {
        p.put(e.getKey(), String.valueOf(v));
      }
    }
    return p;
  }

  /** JSON lines, one replicate a line, with its learning curve. */
  public static String replicatesJsonLines(List<ReplicateScore> rows) {
    StringBuilder sb = new StringBuilder();
    for (ReplicateScore r : rows) {
      ObjectNode o = JSON.createObjectNode();
      o.put("round", r.round());
      o.put("trial", r.trial());
      o.put("shard", r.shard());
      o.put("seed", r.seed());
      o.put("status", r.status().name());
      putNum(o, "validationAccuracy", r.validationAccuracy());
      putNum(o, "validationLoss", r.validationLoss());
      putNum(o, "trainLoss", r.trainLoss());
      o.put("epochsRun", r.epochsRun());
      o.put("trainingNanos", r.trainingNanos());
      if (r.reason() != null) {
        o.put("reason", r.reason());
      }
      ArrayNode curve = o.putArray("curve");
      for (EpochRecord e : r.curve()) {
        ArrayNode row = curve.addArray();
        row.add(e.epoch());
        addNum(row, e.trainLoss());
        addNum(row, e.validationLoss());
        addNum(row, e.validationAccuracy());
      }
      try {
        sb.append(JSON.writeValueAsString(o)).append('\n');
      } catch (JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
    }
    return sb.toString();
  }

  /**
   * Reads back {@link #replicatesJsonLines}.
   *
   * @param source the file's name, for error messages
   */
  public static List<ReplicateScore> readReplicates(String text, String source) {
    List<ReplicateScore> out = new ArrayList<>();
    String[] lines = text.split("\n");
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].isBlank()) {
        continue;
      }
      try {
        JsonNode o = JSON.readTree(lines[i]);
        List<EpochRecord> curve = new ArrayList<>();
        for (JsonNode row : o.path("curve")) {
          curve.add(
              new EpochRecord(
                  row.get(0).asInt(), dbl(row.get(1)), dbl(row.get(2)), dbl(row.get(3))));
        }
        out.add(
            new ReplicateScore(
                o.get("round").asInt(),
                o.get("trial").asInt(),
                o.get("shard").asInt(),
                o.get("seed").asLong(),
                Status.valueOf(o.get("status").asText()),
                dbl(o.get("validationAccuracy")),
                dbl(o.get("validationLoss")),
                dbl(o.get("trainLoss")),
                o.get("epochsRun").asInt(),
                o.hasNonNull("reason") ? o.get("reason").asText() : null,
                curve,
                o.get("trainingNanos").asLong()));
      } catch (JsonProcessingException | RuntimeException e) {
        throw new IllegalArgumentException(
            source + ": line " + (i + 1) + ": not a replicate record: " + e.getMessage(), e);
      }
    }
    return out;
  }

  /** Indented JSON text with a final newline: every JSON file a study writes. */
  public static String pretty(JsonNode node) {
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  // JSON has no NaN or infinities: they travel as strings and come back exactly.
  private static void putNum(ObjectNode o, String key, double v) {
    if (Double.isFinite(v)) {
      o.put(key, v);
    } else {
      o.put(key, Double.toString(v));
    }
  }

  private static void addNum(ArrayNode a, double v) {
    if (Double.isFinite(v)) {
      a.add(v);
    } else {
      a.add(Double.toString(v));
    }
  }

  private static double dbl(JsonNode n) {
    if (n == null || n.isNull()) {
      return Double.NaN;
    }
    return n.isTextual() ? Double.parseDouble(n.asText()) : n.asDouble();
  }

  private static String num(double v) {
    return Double.isNaN(v) ? "" : Double.toString(v);
  }

  private static String csv(String s) {
    if (s == null) {
      return "";
    }
    if (s.contains(",") || s.contains("\"") || s.contains("\n")) {
      return '"' + s.replace("\"", "\"\"").replace('\n', ' ') + '"';
    }
    return s;
  }
}
