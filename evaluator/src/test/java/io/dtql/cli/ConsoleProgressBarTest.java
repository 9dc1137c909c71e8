package io.dtql.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ConsoleProgressBarTest {
  @Test
  void theTerminalBarShowsEveryLossByShortName() {
    Map<String, Double> metrics =
        Map.of(
            "losses/trust_region", 0.98765,
            "losses/critic", 12.3456,
            "values/q_mean", -301.5,
            "losses/actor", -1.5,
            "losses/bc", 0.000123456,
            "charts/lr", 3e-4);
    assertEquals(
        "actor -1.500 bc 0.0001235 critic 12.35 trust_region 0.9877",
        ConsoleProgressBar.lossMessage(metrics));
  }
}
