package io.dtql.agent.train;

import io.dtql.agent.io.AtomicFiles;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code metrics.csv}: the same rows as the JSONL file in a spreadsheet-friendly form. Metrics can
 * appear mid-run (the actor's losses start after pretraining), so when a row brings a new column
 * the file is rewritten with the wider header; otherwise rows are appended. Rows are kept in memory
 * for that rewrite: one per logging interval, a few thousand per run.
 */
public final class CsvMetricsWriter implements MetricsSink {
  private final Path file;
  private final Set<String> header = new LinkedHashSet<>();
  private final List<Map<String, String>> rows = new ArrayList<>();

  private CsvMetricsWriter(Path file) {
    this.file = file;
  }

  /** Opens the file, keeping the rows of an earlier process up to {@code resumedStep}. */
  public static CsvMetricsWriter open(Path file, long resumedStep) throws IOException {
    CsvMetricsWriter writer = new CsvMetricsWriter(file);
    if (Files.exists(file)) {
      writer.loadRowsUpTo(resumedStep);
    }
    writer.rewrite();
    return writer;
  }

  @Override
  public void record(MetricsRow row) throws IOException {
    for (String name : row.values().keySet()) {
      if (name.contains(",") || name.contains("\"") || name.contains("\n")) {
        throw new IllegalArgumentException("metric name '" + name + "' cannot be a CSV column");
      }
    }
    Map<String, String> cells = new LinkedHashMap<>();
    row.columns().forEach((name, value) -> cells.put(name, format(name, value)));
    rows.add(cells);
    if (header.containsAll(cells.keySet())) {
      try (BufferedWriter out =
          Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.APPEND)) {
        out.write(line(cells));
      }
    } else {
      header.addAll(cells.keySet());
      rewrite();
    }
  }

  @Override
  public void close() {
    // Every row is on disk as soon as it is recorded.
  }

  private void rewrite() throws IOException {
    StringBuilder text = new StringBuilder();
    if (!header.isEmpty()) {
      text.append(String.join(",", header)).append('\n');
    }
    for (Map<String, String> cells : rows) {
      text.append(line(cells));
    }
    AtomicFiles.write(file, text.toString().getBytes(StandardCharsets.UTF_8));
  }

  private String line(Map<String, String> cells) {
    List<String> values = new ArrayList<>(header.size());
    for (String column : header) {
      values.add(cells.getOrDefault(column, ""));
    }
    return String.join(",", values) + "\n";
  }

  private void loadRowsUpTo(long resumedStep) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    if (lines.isEmpty()) {
      return;
    }
    List<String> columns = List.of(lines.get(0).split(",", -1));
    header.addAll(columns);
    for (String line : lines.subList(1, lines.size())) {
      String[] values = line.split(",", -1);
      if (values.length != columns.size()) {
        continue; // a row cut short by a killed process
      }
      Map<String, String> cells = new LinkedHashMap<>();
      for (int i = 0; i < values.length; i++) {
        cells.put(columns.get(i), values[i]);
      }
      if (rowStep(cells) <= resumedStep) {
        rows.add(cells);
      }
    }
  }

  private static long rowStep(Map<String, String> cells) {
    try {
      return Long.parseLong(cells.getOrDefault(MetricsRow.STEP, ""));
    } catch (NumberFormatException e) {
      return Long.MAX_VALUE; // unreadable: drop it, the resumed run logs the step again
    }
  }

  private static String format(String column, double value) {
    return column.equals(MetricsRow.STEP) ? Long.toString((long) value) : Double.toString(value);
  }
}
