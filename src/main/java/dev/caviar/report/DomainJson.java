package dev.caviar.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.caviar.space.Domain;
import dev.caviar.space.Scales;
import java.util.Map;

/**
 * A domain as JSON: {scale, low, high} for a numeric domain, {scale, values} for a choice or a
 * fixed value. The bounds and the scale names are the domain codec's ({@link Scales}); this class
 * only turns its map into a JSON node and back.
 */
final class DomainJson {
  private DomainJson() {}

  static ObjectNode node(Domain d) {
    return Cells.JSON.valueToTree(Scales.toBounds(d));
  }

  @SuppressWarnings("unchecked")
  static Domain read(JsonNode b) {
    return Scales.fromBounds(Cells.JSON.convertValue(b, Map.class));
  }
}
