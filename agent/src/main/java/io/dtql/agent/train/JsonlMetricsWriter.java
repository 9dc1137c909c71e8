package io.dtql.agent.train;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.dtql.agent.io.AtomicFiles;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;

/**
 * {@code metrics.jsonl}: one JSON object per logged step, flushed as it is written so a crash loses
 * nothing already logged. A non-finite loss is written as NaN/Infinity (which Python's json module
 * reads) rather than hidden.
 */
public final class JsonlMetricsWriter implements MetricsSink {
  private static final Gson GSON = new GsonBuilder().serializeSpecialFloatingPointValues().create();

  private final BufferedWriter out;

  private JsonlMetricsWriter(BufferedWriter out) {
    this.out = out;
  }

  /**
   * Opens the file for appending. When resuming at {@code resumedStep}, rows logged after that step
   * by the interrupted process are dropped first, since the resumed run logs them again.
   */
  public static JsonlMetricsWriter open(Path file, long resumedStep) throws IOException {
    if (Files.exists(file)) {
      dropRowsAfter(file, resumedStep);
    }
    return new JsonlMetricsWriter(
        Files.newBufferedWriter(
            file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND));
  }

  @Override
  public void record(MetricsRow row) throws IOException {
    JsonObject json = new JsonObject();
    json.addProperty(MetricsRow.STEP, row.step());
    json.addProperty(MetricsRow.WALL_TIME, row.wallTimeSeconds());
    json.addProperty(MetricsRow.STEPS_PER_SECOND, row.stepsPerSecond());
    for (Map.Entry<String, Double> value : row.values().entrySet()) {
      json.addProperty(value.getKey(), value.getValue());
    }
    out.write(GSON.toJson(json));
    out.newLine();
    out.flush();
  }

  @Override
  public void close() throws IOException {
    out.close();
  }

  private static void dropRowsAfter(Path file, long step) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    StringBuilder kept = new StringBuilder();
    for (String line : lines) {
      if (line.isBlank()) {
        continue;
      }
      long rowStep;
      try {
        rowStep = JsonParser.parseString(line).getAsJsonObject().get(MetricsRow.STEP).getAsLong();
      } catch (JsonParseException | IllegalStateException | NullPointerException e) {
        // A line cut short by a killed process: it cannot be trusted, and the run re-logs it.
        continue;
      }
      if (rowStep <= step) {
        kept.append(line).append('\n');
      }
    }
    AtomicFiles.write(file, kept.toString().getBytes(StandardCharsets.UTF_8));
  }
}
