package dev.caviar.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/** How a cell is spelt in each text format: the one place that knows NaN, quoting and indenting. */
final class Cells {
  static final ObjectMapper JSON = new ObjectMapper();

  private Cells() {}

  /** Indented JSON text with a final newline: every JSON file a study writes. */
  static String pretty(JsonNode node) {
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static String line(JsonNode node) {
    try {
      return JSON.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  // JSON has no NaN or infinities: they travel as strings and come back exactly.
  static void putNum(ObjectNode o, String key, double v) {
    if (Double.isFinite(v)) {
      o.put(key, v);
    } else {
      o.put(key, Double.toString(v));
    }
  }

  static void addNum(ArrayNode a, double v) {
    if (Double.isFinite(v)) {
      a.add(v);
    } else {
      a.add(Double.toString(v));
    }
  }

  static double dbl(JsonNode n) {
    if (n == null || n.isNull() || n.isMissingNode()) {
      return Double.NaN;
    }
    return n.isTextual() ? Double.parseDouble(n.asText()) : n.asDouble();
  }

  /** Hyperparameter values keep their JSON type: int, double, boolean, else text. */
  static ObjectNode params(Map<String, Object> params) {
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

  /** The inverse of {@link #params}: Integer, Double, Boolean or String. */
  static Object param(JsonNode v) {
    if (v.isIntegralNumber()) {
      return v.intValue();
    }
    if (v.isNumber()) {
      return v.doubleValue();
    }
    return v.isBoolean() ? (Object) v.booleanValue() : v.asText();
  }

  /** A CSV cell: empty for null and NaN, doubles in their shortest round-tripping form. */
  static String csv(Object v) {
    if (v == null) {
      return "";
    }
    if (v instanceof Double d) {
      return Double.isNaN(d) ? "" : Double.toString(d);
    }
    String s = v.toString();
    if (s.contains(",") || s.contains("\"") || s.contains("\n")) {
      return '"' + s.replace("\"", "\"\"").replace('\n', ' ') + '"';
    }
    return s;
  }
}
