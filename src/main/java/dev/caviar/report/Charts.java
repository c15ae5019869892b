package dev.caviar.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The report's charts: XChart figures with one house style, encoded as base64 PNG so that the HTML
 * file carries them inside itself and opens offline.
 */
final class Charts {
  static final int WIDTH = 640;
  static final int HEIGHT = 400;

  /** Round colours (a colour-blind-safe palette); red and black stay free for failures. */
  private static final Color[] ROUND_COLOURS = {
    new Color(0x0072B2),
    new Color(0xE69F00),
    new Color(0x009E73),
    new Color(0xCC79A7),
    new Color(0x56B4E9),
    new Color(0xF0E442),
    new Color(0x8C564B),
    new Color(0x7F7F7F)
  };

  static final Color FAILURE = new Color(0xD55E00);

  static final BasicStroke DASHED =
      new BasicStroke(
          1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f);
  static final BasicStroke SOLID = new BasicStroke(1.8f);

  private Charts() {}

  static Color roundColour(int round) {
    return ROUND_COLOURS[Math.floorMod(round, ROUND_COLOURS.length)];
  }

  static XYChart chart(String title, String xTitle, String yTitle) {
    XYChart c =
        new XYChartBuilder()
            .width(WIDTH)
            .height(HEIGHT)
            .title(title)
            .xAxisTitle(xTitle)
            .yAxisTitle(yTitle)
            .build();
    c.getStyler().setPlotGridLinesColor(new Color(0xE0E0E0));
    c.getStyler()
        .setChartBackgroundColor(Color.WHITE)
        .setPlotBackgroundColor(Color.WHITE)
        .setLegendPosition(Styler.LegendPosition.OutsideS)
        .setLegendLayout(Styler.LegendLayout.Horizontal)
        .setLegendBorderColor(Color.WHITE)
        .setChartTitleBoxVisible(false)
        .setAntiAlias(true);
    c.getStyler().setMarkerSize(7);
    return c;
  }

  /** Points only. */
  static XYSeries points(XYChart c, String name, List<Double> x, List<Double> y, Color colour) {
    XYSeries s = c.addSeries(name, x, y);
    s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
    s.setMarker(SeriesMarkers.CIRCLE);
    s.setMarkerColor(colour);
    return s;
  }

  /** A line without markers, hidden from the legend unless named for it. */
  static XYSeries line(
      XYChart c,
      String name,
      List<Double> x,
      List<Double> y,
      Color colour,
      BasicStroke stroke,
      boolean inLegend) {
    XYSeries s = c.addSeries(name, x, y);
    s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
    s.setMarker(SeriesMarkers.NONE);
    s.setLineColor(colour);
    s.setMarkerColor(colour);
    s.setLineStyle(stroke);
    s.setShowInLegend(inLegend);
    return s;
  }

  /** The chart as a data URI for an {@code <img>}. */
  static String dataUri(XYChart c) {
    try {
      byte[] png = BitmapEncoder.getBitmapBytes(c, BitmapEncoder.BitmapFormat.PNG);
      return "data:image/png;base64," + Base64.getEncoder().encodeToString(png);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot draw chart '" + c.getTitle() + "'", e);
    }
  }
}
