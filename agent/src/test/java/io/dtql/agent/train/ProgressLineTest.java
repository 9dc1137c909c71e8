package io.dtql.agent.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressLineTest {
  private static Map<String, Double> metrics() {
    Map<String, Double> metrics = new LinkedHashMap<>();
    metrics.put("losses/trust_region", 0.98765);
    metrics.put("losses/critic", 12.3456);
    metrics.put("values/q_mean", -301.5);
    metrics.put("losses/actor", -1.5);
    metrics.put("losses/bc", 0.000123456);
    metrics.put("charts/lr", 3e-4);
    return metrics;
  }

  @Test
  void aLineHasStepPercentSpeedElapsedEtaAndEveryMetricSortedByName() {
    String line = ProgressLine.format(1200, 60000, 25.0, Duration.ofSeconds(3725), metrics());
    assertEquals(
        "train step 1200/60000 (2.0%) 25.0 steps/s elapsed 1:02:05 eta 0:39:12 |"
            + " charts/lr=0.0003000 losses/actor=-1.500 losses/bc=0.0001235 losses/critic=12.35"
            + " losses/trust_region=0.9877 values/q_mean=-301.5",
        line);
  }

  @Test
  void nothingIsCutOffAndNoTerminalControlsAreWritten() {
    Map<String, Double> many = new LinkedHashMap<>(metrics());
    for (int i = 0; i < 20; i++) {
      many.put("losses/extra_" + i, (double) i);
    }
    String line = ProgressLine.format(5, 10, 1.0, Duration.ZERO, many);
    assertTrue(line.length() > 400, line);
    assertTrue(line.endsWith("values/q_mean=-301.5"), line);
    assertFalse(line.contains("\r") || line.contains("\u001b") || line.contains("\n"), line);
  }

  @Test
  void withoutSpeedTheEtaIsUnknown() {
    assertEquals(
        "train step 0/10 (0.0%) 0.0 steps/s elapsed 0:00:00 eta ?",
        ProgressLine.format(0, 10, 0.0, Duration.ZERO, Map.of()));
  }

  @Test
  void plainLogPrintsOneLinePerIntervalWithThatIntervalsSpeedAndAFinalLine() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    AtomicLong clock = new AtomicLong();
    PlainProgressLog log =
        new PlainProgressLog(
            new PrintStream(bytes, true, StandardCharsets.UTF_8),
            100,
            400,
            Duration.ofSeconds(5),
            clock::get);
    // The loop reports every second; 20 steps per second.
    for (int second = 1; second <= 12; second++) {
      clock.set(second * 1_000_000_000L);
      log.stepTo(100 + 20L * second);
      log.summary(20.0, Map.of("losses/critic", (double) second));
    }
    clock.set(12_500_000_000L);
    log.stepTo(345);
    log.close();

    List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
    assertEquals(
        List.of(
            "train step 200/400 (50.0%) 20.0 steps/s elapsed 0:00:05 eta 0:00:10 |"
                + " losses/critic=5.000",
            "train step 300/400 (75.0%) 20.0 steps/s elapsed 0:00:10 eta 0:00:05 |"
                + " losses/critic=10.00",
            "train step 345/400 (86.3%) 18.0 steps/s elapsed 0:00:12 eta 0:00:03 |"
                + " losses/critic=12.00"),
        lines);
    assertFalse(bytes.toString(StandardCharsets.UTF_8).contains("\r"));
  }
}
