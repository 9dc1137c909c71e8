package io.dtql.evaluator.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ChartFigureTest {
  @Test
  void tickValuesAreShortAndSmallOnesScientific() {
    assertEquals("3e-4", ChartFigure.valueLabel(3e-4));
    assertEquals("2.5e-4", ChartFigure.valueLabel(2.5e-4));
    assertEquals("0.3", ChartFigure.valueLabel(0.30000000000000004));
    assertEquals("-250", ChartFigure.valueLabel(-250));
    assertEquals("0", ChartFigure.valueLabel(-0.0));
    assertEquals("1.2e6", ChartFigure.valueLabel(1.2e6));
  }

  @Test
  void theStepAxisCountsInThousandsOrMillionsForLongRuns() {
    assertEquals(1, figure(9_000).stepScale());
    assertEquals(1_000, figure(1_050_000).stepScale());
    assertEquals(1_000_000, figure(20_000_000).stepScale());
  }

  private static ChartFigure figure(double lastStep) {
    ChartFigure.Panel panel =
        new ChartFigure.Panel(
            "p", "y", List.of(new ChartFigure.Line("l", new double[] {1}, new double[] {1})));
    return ChartFigure.of("f.png", "f", List.of(panel)).spanning(lastStep);
  }
}
