package io.dtql.evaluator.report;

import io.dtql.evaluator.EpisodeResult;
import io.dtql.evaluator.EvaluationSummary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * A PNG of per-episode returns, one series per task: the spread of an evaluation is easier to see
 * than to read from a mean and a standard deviation.
 */
public final class ReturnsPlot {
  private ReturnsPlot() {}

  /** Writes the plot to {@code file} (PNG), creating parent directories. */
  public static void write(List<EvaluationSummary> summaries, Path file) throws IOException {
    XYChart chart =
        new XYChartBuilder()
            .width(900)
            .height(500)
            .title("Episode returns")
            .xAxisTitle("episode")
            .yAxisTitle("return")
            .build();
    chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
    chart.getStyler().setMarkerSize(8);
    for (EvaluationSummary summary : summaries) {
      List<EpisodeResult> episodes = summary.episodes();
      double[] x = new double[episodes.size()];
      double[] y = new double[episodes.size()];
      for (int i = 0; i < episodes.size(); i++) {
        x[i] = i;
        y[i] = episodes.get(i).episodeReturn();
      }
      XYSeries series = chart.addSeries(summary.taskId() + " (" + summary.policyName() + ")", x, y);
      series.setMarker(SeriesMarkers.CIRCLE);
    }
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
  }
}
