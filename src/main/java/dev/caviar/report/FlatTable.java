package dev.caviar.report;

import java.util.ArrayList;
import java.util.List;

/**
 * A results table in its flat form, the one CSV and Parquet share: typed fields and rows of plain
 * Java values ({@code Integer}, {@code Long}, {@code Double}, {@code Boolean}, {@code String} or
 * null). Built from {@link Column} declarations; the Parquet adapter in {@code spark} maps the
 * fields to a Spark schema without naming a column itself.
 *
 * @param fields the columns, in order
 * @param rows one list of cells per row, as long as {@code fields}
 */
public record FlatTable(List<Field> fields, List<List<Object>> rows) {

  /** A column of the flat form. */
  public record Field(String name, Column.Type type, boolean nullable) {
    public Field {
      if (name == null || name.isBlank() || type == null) {
        throw new IllegalArgumentException("field: name and type are required");
      }
    }
  }

  public FlatTable {
    fields = List.copyOf(fields);
    List<List<Object>> copy = new ArrayList<>();
    for (List<Object> row : rows) {
      if (row.size() != fields.size()) {
        throw new IllegalArgumentException(
            "flat table: a row has " + row.size() + " cells for " + fields.size() + " fields");
      }
      copy.add(java.util.Collections.unmodifiableList(new ArrayList<>(row)));
    }
    rows = List.copyOf(copy);
  }

  /** The fixed columns of {@code columns} that the flat formats carry, then extra fields. */
  static <R> FlatTable of(
      List<Column<R>> columns,
      List<Field> extra,
      List<R> records,
      java.util.function.BiFunction<R, Field, Object> extraValue) {
    List<Field> fields = new ArrayList<>();
    List<Column<R>> flat = columns.stream().filter(Column::inFlat).toList();
    for (Column<R> c : flat) {
      fields.add(new Field(c.name(), c.type(), c.nullable()));
    }
    fields.addAll(extra);
    List<List<Object>> rows = new ArrayList<>();
    for (R r : records) {
      List<Object> row = new ArrayList<>();
      for (Column<R> c : flat) {
        row.add(c.value().apply(r));
      }
      for (Field f : extra) {
        row.add(extraValue.apply(r, f));
      }
      rows.add(row);
    }
    return new FlatTable(fields, rows);
  }

  /** A header line, then one line per row. */
  public String csv() {
    StringBuilder sb = new StringBuilder();
    sb.append(String.join(",", fields.stream().map(Field::name).toList())).append('\n');
    for (List<Object> row : rows) {
      for (int i = 0; i < row.size(); i++) {
        if (i > 0) {
          sb.append(',');
        }
        sb.append(Cells.csv(row.get(i)));
      }
      sb.append('\n');
    }
    return sb.toString();
  }
}
