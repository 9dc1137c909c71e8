package io.dtql.evaluator.report;

import io.dtql.agent.io.AtomicFiles;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import javax.imageio.ImageIO;
import org.knowm.xchart.AnnotationLine;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.style.Styler.LegendLayout;
import org.knowm.xchart.style.Styler.LegendPosition;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * One PNG of a report: panels of curves against the training step, laid out in a grid (two columns
 * when there are several). Each panel has a title, axis titles, a legend when it shows more than
 * one thing, and an optional shaded band (an interval around a curve).
 *
 * @param fileName the PNG's name in the report directory
 * @param title what the figure shows, used as its alternative text in the report
 * @param panels the panels, in reading order
 * @param panelWidth width of one panel in pixels
 * @param panelHeight height of one panel in pixels
 * @param markStep a step marked by a dotted vertical line on every panel (the end of pretraining)
 * @param lastStep when present, every panel's step axis runs from 0 to it, so that the panels of a
 *     report line up
 */
record ChartFigure(
    String fileName,
    String title,
    List<Panel> panels,
    int panelWidth,
    int panelHeight,
    OptionalDouble markStep,
    OptionalDouble lastStep) {
  static final int WIDE_WIDTH = 1000;
  static final int WIDE_HEIGHT = 520;
  static final int PANEL_WIDTH = 620;
  static final int PANEL_HEIGHT = 380;
  private static final String FONT = Font.SANS_SERIF;

  /** Series colours: readable on white, distinguishable (the Tableau 10 palette's first six). */
  static final Color[] COLORS = {
    new Color(31, 119, 180),
    new Color(255, 127, 14),
    new Color(44, 160, 44),
    new Color(214, 39, 40),
    new Color(148, 103, 189),
    new Color(140, 86, 75)
  };

  ChartFigure {
    panels = List.copyOf(panels);
    if (panels.isEmpty()) {
      throw new IllegalArgumentException("a figure needs at least one panel: " + fileName);
    }
  }

  /** A figure of panels of the standard size. */
  static ChartFigure of(String fileName, String title, List<Panel> panels) {
    return panels.size() == 1
        ? new ChartFigure(
            fileName,
            title,
            panels,
            WIDE_WIDTH,
            WIDE_HEIGHT,
            OptionalDouble.empty(),
            OptionalDouble.empty())
        : new ChartFigure(
            fileName,
            title,
            panels,
            PANEL_WIDTH,
            PANEL_HEIGHT,
            OptionalDouble.empty(),
            OptionalDouble.empty());
  }

  /** This figure with {@code step} marked on every panel. */
  ChartFigure marking(double step) {
    return new ChartFigure(
        fileName, title, panels, panelWidth, panelHeight, OptionalDouble.of(step), lastStep);
  }

  /** This figure with every step axis from 0 to {@code last}. */
  ChartFigure spanning(double last) {
    return new ChartFigure(
        fileName, title, panels, panelWidth, panelHeight, markStep, OptionalDouble.of(last));
  }

  /**
   * One chart.
   *
   * @param title the panel's title
   * @param yLabel the y axis title (the x axis is the training step)
   * @param lines the curves
   * @param band a shaded interval drawn under the curves, if any
   * @param logY whether the y axis is logarithmic (every value must then be positive)
   */
  record Panel(String title, String yLabel, List<Line> lines, Optional<Band> band, boolean logY) {
    Panel {
      lines = List.copyOf(lines);
      Objects.requireNonNull(band, "band");
    }

    Panel(String title, String yLabel, List<Line> lines) {
      this(title, yLabel, lines, Optional.empty(), false);
    }

    int points() {
      return lines.stream().mapToInt(l -> l.x().length).max().orElse(0);
    }
  }

  /**
   * One curve.
   *
   * @param label its legend entry
   * @param x training steps
   * @param y values (finite), one per step
   * @param dashed drawn thin and dashed (a secondary curve such as a minimum or maximum)
   * @param color its colour, or empty for the next one of the palette
   */
  record Line(String label, double[] x, double[] y, boolean dashed, Optional<Color> color) {
    Line {
      if (x.length != y.length) {
        throw new IllegalArgumentException(label + ": " + x.length + " x for " + y.length + " y");
      }
    }

    Line(String label, double[] x, double[] y) {
      this(label, x, y, false, Optional.empty());
    }
  }

  /**
   * A shaded interval, drawn where both bounds are known (a gap where they are not).
   *
   * @param label its legend entry
   * @param x training steps
   * @param low lower bound per step (NaN where unknown)
   * @param high upper bound per step (NaN where unknown)
   * @param color the colour of the curve it belongs to
   */
  record Band(String label, double[] x, double[] low, double[] high, Color color) {
    Band {
      if (x.length != low.length || x.length != high.length) {
        throw new IllegalArgumentException(label + ": bounds of another length than the steps");
      }
    }
  }

  /** Renders the figure and writes it as a PNG to {@code file}. */
  void write(Path file) throws IOException {
    int columns = panels.size() == 1 ? 1 : 2;
    int rows = (panels.size() + columns - 1) / columns;
    BufferedImage image =
        new BufferedImage(columns * panelWidth, rows * panelHeight, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, image.getWidth(), image.getHeight());
      for (int i = 0; i < panels.size(); i++) {
        BufferedImage panel = BitmapEncoder.getBufferedImage(chart(panels.get(i)));
        g.drawImage(panel, (i % columns) * panelWidth, (i / columns) * panelHeight, null);
      }
    } finally {
      g.dispose();
    }
    AtomicFiles.write(
        file,
        out -> {
          if (!ImageIO.write(image, "png", out)) {
            throw new IOException("no PNG writer for " + file);
          }
        });
  }

  private XYChart chart(Panel panel) {
    XYChart chart =
        new XYChartBuilder()
            .width(panelWidth)
            .height(panelHeight)
            .title(panel.title())
            .xAxisTitle(stepAxisTitle())
            .yAxisTitle(panel.yLabel() + (panel.logY() ? " (log scale)" : ""))
            .build();
    XYStyler styler = chart.getStyler();
    styler.setChartBackgroundColor(Color.WHITE);
    styler.setPlotBackgroundColor(Color.WHITE);
    styler.setPlotBorderColor(Color.GRAY);
    styler.setPlotGridLinesColor(new Color(225, 225, 225));
    styler.setChartTitleFont(new Font(FONT, Font.BOLD, 16));
    styler.setAxisTitleFont(new Font(FONT, Font.PLAIN, 13));
    styler.setAxisTickLabelsFont(new Font(FONT, Font.PLAIN, 12));
    styler.setLegendFont(new Font(FONT, Font.PLAIN, 12));
    styler.setLegendPosition(LegendPosition.OutsideS);
    styler.setLegendLayout(LegendLayout.Horizontal);
    styler.setLegendBorderColor(Color.WHITE);
    styler.setChartPadding(12);
    styler.setMarkerSize(6);
    styler.setSeriesColors(COLORS);
    styler.setYAxisLogarithmic(panel.logY());
    if (!panel.logY()) {
      // (A y label function would replace the log axis's ticks with linear ones.)
      styler.setyAxisTickLabelsFormattingFunction(ChartFigure::valueLabel);
    }
    double scale = stepScale();
    int legendEntries = panel.lines().size() + (panel.band().isPresent() ? 1 : 0);
    styler.setLegendVisible(legendEntries > 1);
    boolean markers = panel.points() <= 40;
    panel.band().ifPresent(band -> addBand(chart, band, scale));
    int colorIndex = 0;
    for (Line line : panel.lines()) {
      Color color = line.color().orElse(COLORS[colorIndex++ % COLORS.length]);
      XYSeries series = chart.addSeries(line.label(), scaled(line.x(), scale), line.y());
      series.setXYSeriesRenderStyle(XYSeriesRenderStyle.Line);
      series.setLineColor(color);
      series.setMarkerColor(color);
      if (line.dashed()) {
        series.setLineStyle(
            new BasicStroke(
                1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {6f, 4f}, 0f));
        series.setMarker(SeriesMarkers.NONE);
      } else {
        series.setLineWidth(line.x().length > 200 ? 1.5f : 2.2f);
        series.setMarker(
            markers || line.x().length == 1 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
      }
    }
    breakEqualSpacing(chart, panel, scale);
    lastStep.ifPresent(
        last -> {
          styler.setXAxisMin(0.0);
          styler.setXAxisMax(last / scale);
        });
    markStep.ifPresent(
        step -> {
          if (step > 0 && step < lastStep.orElse(Double.POSITIVE_INFINITY)) {
            chart.addAnnotation(new AnnotationLine(step / scale, true, false));
          }
        });
    styler.setAnnotationLineColor(Color.DARK_GRAY);
    styler.setAnnotationLineStroke(
        new BasicStroke(
            1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {2f, 3f}, 0f));
    return chart;
  }

  /**
   * Adds an invisible point off the grid of the data. XChart puts the ticks of an axis whose values
   * are all equally spaced (a metric logged every K steps; a counter such as updates) at data
   * values, which gives ticks such as 34, 68, 102; one point between step 0 and the first logged
   * step, at an irregular height within the line's values, makes it choose round ticks on both
   * axes.
   */
  private static void breakEqualSpacing(XYChart chart, Panel panel, double scale) {
    panel.lines().stream()
        .filter(l -> l.x().length > 0 && l.x()[0] > 0)
        .findFirst()
        .ifPresent(
            line -> {
              // Within the line's range (so the axis does not grow), off any regular grid.
              double min = Arrays.stream(line.y()).min().orElse(0);
              double max = Arrays.stream(line.y()).max().orElse(0);
              double y = min + (max - min) / Math.PI;
              XYSeries hidden =
                  chart.addSeries(" ", new double[] {line.x()[0] / scale / 2}, new double[] {y});
              hidden.setXYSeriesRenderStyle(XYSeriesRenderStyle.Line);
              hidden.setMarker(SeriesMarkers.NONE);
              hidden.setLineColor(new Color(0, 0, 0, 0));
              hidden.setShowInLegend(false);
            });
  }

  /** The band as filled polygons, one per run of steps with both bounds known. */
  private static void addBand(XYChart chart, Band band, double scale) {
    Color fill =
        new Color(band.color().getRed(), band.color().getGreen(), band.color().getBlue(), 60);
    boolean labelled = false;
    int start = 0;
    int part = 0;
    while (start < band.x().length) {
      if (!known(band, start)) {
        start++;
        continue;
      }
      int end = start;
      while (end + 1 < band.x().length && known(band, end + 1)) {
        end++;
      }
      int n = end - start + 1;
      double[] x;
      double[] y;
      if (n == 1) {
        // One step: a vertical bar from the lower to the upper bound.
        x = new double[] {band.x()[start] / scale, band.x()[start] / scale};
        y = new double[] {band.low()[start], band.high()[start]};
      } else {
        x = new double[2 * n];
        y = new double[2 * n];
        for (int i = 0; i < n; i++) {
          x[i] = band.x()[start + i] / scale;
          y[i] = band.high()[start + i];
          x[2 * n - 1 - i] = band.x()[start + i] / scale;
          y[2 * n - 1 - i] = band.low()[start + i];
        }
      }
      String name = labelled ? band.label() + " (" + ++part + ")" : band.label();
      XYSeries series = chart.addSeries(name, x, y);
      series.setMarker(SeriesMarkers.NONE);
      if (n == 1) {
        series.setXYSeriesRenderStyle(XYSeriesRenderStyle.Line);
        series.setLineColor(fill.darker());
        series.setLineWidth(8f);
      } else {
        series.setXYSeriesRenderStyle(XYSeriesRenderStyle.PolygonArea);
        series.setFillColor(fill);
        series.setLineColor(fill);
        series.setLineWidth(0.5f);
      }
      series.setShowInLegend(!labelled);
      labelled = true;
      start = end + 1;
    }
  }

  private static boolean known(Band band, int i) {
    return Double.isFinite(band.low()[i]) && Double.isFinite(band.high()[i]);
  }

  /**
   * The unit of the step axis: steps up to 10,000, thousands up to 10 million, else millions, so
   * that tick labels stay short (a 1M-step run reads 0 to 1,000 thousand).
   */
  double stepScale() {
    double last =
        lastStep.orElse(
            panels.stream()
                .flatMap(p -> p.lines().stream())
                .flatMapToDouble(l -> Arrays.stream(l.x()))
                .max()
                .orElse(0));
    if (last < 10_000) {
      return 1;
    }
    return last < 10_000_000 ? 1_000 : 1_000_000;
  }

  private String stepAxisTitle() {
    double scale = stepScale();
    if (scale == 1) {
      return "training step";
    }
    return scale == 1_000 ? "training step (thousands)" : "training step (millions)";
  }

  private static double[] scaled(double[] steps, double scale) {
    if (scale == 1) {
      return steps;
    }
    double[] x = new double[steps.length];
    for (int i = 0; i < steps.length; i++) {
      x[i] = steps[i] / scale;
    }
    return x;
  }

  /** A tick value with as few digits as it needs, in scientific notation when very small. */
  static String valueLabel(double value) {
    double abs = Math.abs(value);
    if (abs == 0) {
      return "0";
    }
    if (abs < 1e-3 || abs >= 1e6) {
      return String.format(Locale.ROOT, "%.3e", value)
          .replaceAll("\\.?0+e", "e")
          .replace("e-0", "e-")
          .replace("e+0", "e")
          .replace("e+", "e");
    }
    return trim(value);
  }

  private static String trim(double value) {
    String text = String.format(Locale.ROOT, "%.6f", value);
    text = text.replaceAll("0+$", "").replaceAll("\\.$", "");
    return text.equals("-0") ? "0" : text;
  }
}
