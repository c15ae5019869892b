package dev.caviar.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.function.Function;

/**
 * One column of a results table, declared once: its name, type, whether it may be empty, which
 * formats carry it, and how to read it off a record. The CSV, JSON and Parquet forms of a table are
 * all made from these declarations (Parquet through the adapter in {@code spark}).
 *
 * @param <R> the record a row is made from
 * @param name the column's name in every format
 * @param type its value type
 * @param nullable whether a row may lack it (JSON then omits the key)
 * @param carried which formats hold it
 * @param value the cell of a record
 */
public record Column<R>(
    String name, Type type, boolean nullable, Carried carried, Function<R, Object> value) {

  /** The value types a results table uses. */
  public enum Type {
    INT,
    LONG,
    DOUBLE,
    BOOLEAN,
    STRING
  }

  /**
   * Which formats hold a column: the flat tables (CSV, Parquet) are for people and queries, the
   * JSON record is the exact one {@code --resume} reads back, so a few columns differ (e.g.
   * milliseconds in the flat tables, nanoseconds in the record).
   */
  public enum Carried {
    EVERYWHERE,
    FLAT,
    JSON
  }

  public Column {
    if (name == null || name.isBlank() || type == null || carried == null || value == null) {
      throw new IllegalArgumentException("column: name, type, formats and value are required");
    }
  }

  static <R> Column<R> of(String name, Type type, Function<R, Object> value) {
    return new Column<>(name, type, false, Carried.EVERYWHERE, value);
  }

  boolean inFlat() {
    return carried != Carried.JSON;
  }

  boolean inJson() {
    return carried != Carried.FLAT;
  }

  /** Writes this column's cell of {@code row} into a JSON object (nothing when empty). */
  void put(ObjectNode o, R row) {
    Object v = value.apply(row);
    if (v == null) {
      return;
    }
    switch (type) {
      case INT -> o.put(name, ((Number) v).intValue());
      case LONG -> o.put(name, ((Number) v).longValue());
      case DOUBLE -> Cells.putNum(o, name, ((Number) v).doubleValue());
      case BOOLEAN -> o.put(name, (Boolean) v);
      case STRING -> o.put(name, v.toString());
    }
  }

  int readInt(JsonNode o) {
    return required(o).asInt();
  }

  long readLong(JsonNode o) {
    return required(o).asLong();
  }

  double readDouble(JsonNode o) {
    return Cells.dbl(o.get(name));
  }

  String readString(JsonNode o) {
    JsonNode n = o.get(name);
    if (n == null || n.isNull()) {
      if (nullable) {
        return null;
      }
      throw new IllegalArgumentException("missing '" + name + "'");
    }
    return n.asText();
  }

  private JsonNode required(JsonNode o) {
    JsonNode n = o.get(name);
    if (n == null || n.isNull()) {
      throw new IllegalArgumentException("missing '" + name + "'");
    }
    return n;
  }
}
