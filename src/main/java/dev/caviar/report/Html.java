package dev.caviar.report;

/**
 * A small builder for the report's markup: text is escaped unless it is passed as markup, so a
 * value from a study (a reason, a hyperparameter) cannot break the page.
 */
final class Html {
  private final StringBuilder out = new StringBuilder();

  /** Markup, as is. */
  Html raw(Object markup) {
    out.append(markup);
    return this;
  }

  /** Text, escaped. */
  Html text(Object text) {
    out.append(esc(String.valueOf(text)));
    return this;
  }

  /** {@code <tag>text</tag>}, the text escaped. */
  Html el(String tag, Object text) {
    return raw("<" + tag + ">").text(text).raw("</" + tag + ">");
  }

  /** A row of header cells. */
  Html headers(String... names) {
    for (String n : names) {
      el("th", n);
    }
    return this;
  }

  /** A table row of text cells, escaped, and a newline. */
  Html row(Object... cells) {
    raw("<tr>");
    for (Object c : cells) {
      el("td", c);
    }
    return raw("</tr>\n");
  }

  /** An image of a chart, embedded as PNG. */
  Html chart(org.knowm.xchart.XYChart c, String alt) {
    return raw("<img class=\"chart\" width=\"")
        .raw(Charts.WIDTH)
        .raw("\" height=\"")
        .raw(Charts.HEIGHT)
        .raw("\" alt=\"")
        .text(alt)
        .raw("\" src=\"")
        .raw(Charts.dataUri(c))
        .raw("\">");
  }

  static String esc(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }

  @Override
  public String toString() {
    return out.toString();
  }
}
