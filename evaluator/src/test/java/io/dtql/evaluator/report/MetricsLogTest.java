package io.dtql.evaluator.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class MetricsLogTest {
  @Test
  void readsRowsWithNanAndInfinityAsTheWriterWritesThem() {
    MetricsLog log =
        MetricsLog.parse(
            "{\"step\":10,\"losses/critic\":NaN,\"losses/bc\":0.5}\n"
                + "{\"step\":20,\"losses/critic\":Infinity,\"losses/bc\":0.25,\"note\":\"x\"}\n");

    assertEquals(2, log.rows().size());
    assertTrue(Double.isNaN(log.rows().get(0).get("losses/critic").orElseThrow()));
    assertEquals(2, log.nonFinite("losses/critic"));
    assertTrue(log.rowsWith("losses/critic").isEmpty());
    assertEquals(List.of(10L, 20L), log.rowsWith("losses/bc").stream().map(r -> r.step()).toList());
    assertFalse(log.has("note"), "a string that is not a number is not a metric");
    assertFalse(log.tornLastLine());
    assertTrue(log.problems().isEmpty(), log.problems().toString());
  }

  @Test
  void aLastLineWithoutItsEndIsTornButACompleteOneIsARow() {
    MetricsLog torn = MetricsLog.parse("{\"step\":10,\"a\":1}\n{\"step\":20,\"a\":");
    assertTrue(torn.tornLastLine());
    assertEquals(1, torn.rows().size());
    assertTrue(torn.problems().isEmpty(), torn.problems().toString());

    MetricsLog complete = MetricsLog.parse("{\"step\":10,\"a\":1}\n{\"step\":20,\"a\":2}");
    assertFalse(complete.tornLastLine());
    assertEquals(2, complete.rows().size());
  }

  @Test
  void badLinesInsideAreSkippedByLineNumberAndARepeatedStepKeepsTheLaterRow() {
    MetricsLog log =
        MetricsLog.parse(
            "{\"step\":10,\"a\":1}\n"
                + "garbage {\n"
                + "{\"a\":3}\n"
                + "\n"
                + "{\"step\":10,\"a\":2}\n"
                + "{\"step\":30,\"a\":4}\n");

    assertEquals(List.of(10L, 30L), log.rows().stream().map(MetricsLog.Row::step).toList());
    assertEquals(2.0, log.rows().get(0).get("a").orElseThrow());
    assertEquals(5, log.lines());
    assertEquals(3, log.problems().size(), log.problems().toString());
    assertTrue(log.problems().get(0).startsWith("line 2 skipped: it is not a JSON object"));
    assertTrue(log.problems().get(1).startsWith("line 3 skipped: it has no numeric \"step\""));
    assertTrue(log.problems().get(2).contains("logged more than once"));
    assertFalse(log.tornLastLine());
  }

  @Test
  void anEmptyFileHasNoRows() {
    assertTrue(MetricsLog.parse("").isEmpty());
    assertFalse(MetricsLog.parse("").tornLastLine());
  }
}
