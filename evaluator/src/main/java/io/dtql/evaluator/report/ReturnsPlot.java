package io.dtql.evaluator.report;

import io.dtql.agent.io.AtomicFiles;
import io.dtql.evaluator.EpisodeResult;
import io.dtql.evaluator.EvaluationSummary;
import io.dtql.evaluator.stats.Interval;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * A PNG of per-episode returns, one panel per task (returns of different tasks share no scale):
 * episode index on the x axis, one series of points per policy, and each policy's mean with its 95%
 * bootstrap interval as lines across the panel. The spread of an evaluation is easier to see than
 * to read from a mean and a standard deviation.
 */
public final class ReturnsPlot {
  private static final int PANEL_WIDTH = 700;
  private static final int PANEL_HEIGHT = 420;

  private ReturnsPlot() {}

  /** Writes the plot to {@code file} (PNG), creating parent directories. */
  public static void write(List<EvaluationSummary> summaries, Path file) throws IOException {
    Map<String, List<EvaluationSummary>> byTask = new LinkedHashMap<>();
    for (EvaluationSummary s : summaries) {
      byTask.computeIfAbsent(s.taskId(), t -> new ArrayList<>()).add(s);
    }
    List<XYChart> panels = new ArrayList<>();
    for (Map.Entry<String, List<EvaluationSummary>> e : byTask.entrySet()) {
      panels.add(panel(e.getKey(), e.getValue()));
    }
    AtomicFiles.write(
        file,
        out ->
            BitmapEncoder.saveBitmap(
                panels, panels.size(), 1, out, BitmapEncoder.BitmapFormat.PNG));
  }

  private static XYChart panel(String task, List<EvaluationSummary> summaries) {
    XYChart chart =
        new XYChartBuilder()
            .width(PANEL_WIDTH)
            .height(PANEL_HEIGHT)
            .title(task + ": return per episode (lines: mean and 95% CI)")
            .xAxisTitle("episode")
            .yAxisTitle("return")
            .build();
    chart.getStyler().setMarkerSize(8);
    chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideS);
    int maxEpisodes = summaries.stream().mapToInt(s -> s.episodes().size()).max().orElse(1);
    double right = Math.max(1, maxEpisodes - 1);
    Color[] palette = chart.getStyler().getSeriesColors();
    for (int k = 0; k < summaries.size(); k++) {
      EvaluationSummary summary = summaries.get(k);
      List<EpisodeResult> episodes = summary.episodes();
      double[] x = new double[episodes.size()];
      double[] y = new double[episodes.size()];
      for (int i = 0; i < episodes.size(); i++) {
        x[i] = episodes.get(i).index();
        y[i] = episodes.get(i).episodeReturn();
      }
      String name = uniqueName(chart, summary.policyName());
      XYSeries points = chart.addSeries(name, x, y);
      points.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
      points.setMarker(SeriesMarkers.CIRCLE);
      Color color = palette[k % palette.length];
      points.setMarkerColor(color);
      Interval ci = summary.returnInterval();
      horizontal(
          chart, name + " mean " + format(ci.estimate()), ci.estimate(), right, color, false);
      horizontal(
          chart,
          name + " 95% CI " + format(ci.low()) + ".." + format(ci.high()),
          ci.low(),
          right,
          color,
          true);
      XYSeries high =
          chart.addSeries(
              name + " ci-high", new double[] {0, right}, new double[] {ci.high(), ci.high()});
      style(high, color, true);
      high.setShowInLegend(false);
    }
    return chart;
  }

  private static void horizontal(
      XYChart chart, String name, double y, double right, Color color, boolean dashed) {
    XYSeries line = chart.addSeries(name, new double[] {0, right}, new double[] {y, y});
    style(line, color, dashed);
  }

  private static void style(XYSeries line, Color color, boolean dashed) {
    line.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
    line.setMarker(SeriesMarkers.NONE);
    line.setLineColor(color);
    line.setLineStyle(
        dashed
            ? new BasicStroke(
                1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f)
            : new BasicStroke(2f));
  }

  /** Series names must be unique in a chart: a policy evaluated twice gets a suffix. */
  private static String uniqueName(XYChart chart, String name) {
    String candidate = name;
    for (int i = 2; chart.getSeriesMap().containsKey(candidate); i++) {
      candidate = name + " #" + i;
    }
    return candidate;
  }

  private static String format(double v) {
    return String.format(java.util.Locale.ROOT, "%.1f", v);
  }
}
