package dev.caviar.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.caviar.space.Domain;
import java.util.ArrayList;
import java.util.List;

/**
 * A domain as JSON: {scale, low, high} for a numeric domain, {scale, values} for a choice or a
 * fixed value.
 *
 * <p>MERGE(w8a): the scale names below belong to the domain codec in {@code space} that helper w8a
 * is writing ("space: domain codec"); when it lands, this class delegates to it and its {@code
 * switch} goes. It was moved here unchanged from {@code SparkStudy}, not copied.
 */
final class DomainJson {
  private DomainJson() {}

  static ObjectNode node(Domain d) {
    ObjectNode b = Cells.JSON.createObjectNode();
    b.put("scale", d.scale());
    if (d instanceof Domain.Numeric n) {
      b.put("low", n.lowBound());
      b.put("high", n.highBound());
    } else if (d instanceof Domain.Choice c) {
      b.set("values", Cells.JSON.valueToTree(c.values()));
    } else if (d instanceof Domain.Fixed f) {
      b.set("values", Cells.JSON.valueToTree(List.of(f.value())));
    }
    return b;
  }

  static Domain read(JsonNode b) {
    String scale = b.path("scale").asText();
    double lo = b.path("low").asDouble();
    double hi = b.path("high").asDouble();
    return switch (scale) {
      case "linear" -> new Domain.Linear(lo, hi);
      case "log" -> new Domain.Log(lo, hi);
      case "oneMinusLog" -> new Domain.OneMinusLog(lo, hi);
      case "int" -> new Domain.IntUniform((int) lo, (int) hi);
      case "intLog" -> new Domain.IntLog((int) lo, (int) hi);
      case "pow2" -> new Domain.Pow2((int) lo, (int) hi);
      case "choice" -> new Domain.Choice(values(b.path("values")));
      case "fixed" -> new Domain.Fixed(values(b.path("values")).get(0));
      default -> throw new IllegalArgumentException("unknown scale '" + scale + "'");
    };
  }

  private static List<Object> values(JsonNode array) {
    List<Object> out = new ArrayList<>();
    for (JsonNode v : array) {
      out.add(Cells.param(v));
    }
    return out;
  }
}
