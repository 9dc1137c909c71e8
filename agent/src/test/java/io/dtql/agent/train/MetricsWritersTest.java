package io.dtql.agent.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsWritersTest {
  @TempDir Path dir;

  private static MetricsRow row(long step, Map<String, Double> values) {
    return new MetricsRow(step, step / 10.0, 100.0, values);
  }

  @Test
  void jsonlReopenDropsRowsAfterTheResumedStepAndACutOffLine() throws IOException {
    Path file = dir.resolve("metrics.jsonl");
    try (JsonlMetricsWriter writer = JsonlMetricsWriter.open(file, 0)) {
      for (long step = 10; step <= 50; step += 10) {
        writer.record(row(step, Map.of("losses/critic", (double) step)));
      }
    }
    // A killed process may leave a half-written last line.
    Files.writeString(file, Files.readString(file) + "{\"step\": 60, \"loss");
    try (JsonlMetricsWriter writer = JsonlMetricsWriter.open(file, 30)) {
      writer.record(row(40, Map.of("losses/critic", -1.0)));
    }
    List<String> lines = Files.readAllLines(file);
    assertEquals(4, lines.size());
    assertEquals(
        -1.0,
        JsonParser.parseString(lines.get(3)).getAsJsonObject().get("losses/critic").getAsDouble());
  }

  @Test
  void jsonlKeepsNonFiniteLossesVisible() throws IOException {
    Path file = dir.resolve("metrics.jsonl");
    try (JsonlMetricsWriter writer = JsonlMetricsWriter.open(file, 0)) {
      writer.record(row(1, Map.of("losses/critic", Double.NaN)));
    }
    assertTrue(Files.readString(file).contains("\"losses/critic\":NaN"), Files.readString(file));
  }

  @Test
  void csvWidensItsHeaderWhenAMetricAppearsAndResumesCleanly() throws IOException {
    Path file = dir.resolve("metrics.csv");
    try (CsvMetricsWriter writer = CsvMetricsWriter.open(file, 0)) {
      writer.record(row(10, Map.of("losses/bc", 1.0)));
      writer.record(row(20, Map.of("losses/bc", 2.0, "losses/actor", 3.0)));
      writer.record(row(30, Map.of("losses/bc", 4.0, "losses/actor", 5.0)));
    }
    List<String> lines = Files.readAllLines(file);
    assertEquals("step,wall_time_s,charts/steps_per_s,losses/bc,losses/actor", lines.get(0));
    assertEquals("10,1.0,100.0,1.0,", lines.get(1));
    assertEquals("30,3.0,100.0,4.0,5.0", lines.get(3));

    try (CsvMetricsWriter writer = CsvMetricsWriter.open(file, 20)) {
      writer.record(row(30, Map.of("losses/bc", 9.0, "losses/actor", 9.0)));
    }
    lines = Files.readAllLines(file);
    assertEquals(4, lines.size());
    assertEquals("30,3.0,100.0,9.0,9.0", lines.get(3));
  }

  @Test
  void csvRefusesAMetricNameThatWouldBreakTheColumns() throws IOException {
    try (CsvMetricsWriter writer = CsvMetricsWriter.open(dir.resolve("m.csv"), 0)) {
      assertThrows(IllegalArgumentException.class, () -> writer.record(row(1, Map.of("a,b", 1.0))));
    }
  }

  @Test
  void reservedColumnNamesAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> row(1, Map.of("step", 1.0)));
  }
}
