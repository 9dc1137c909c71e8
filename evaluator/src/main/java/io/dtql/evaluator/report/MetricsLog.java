package io.dtql.evaluator.report;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import io.dtql.agent.train.MetricsRow;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A run's {@code metrics.jsonl} read for a report, forgiving what a real run can leave behind: a
 * last line cut short by a killed process (skipped, and said so), other lines that are not a JSON
 * object with a step (skipped, named by line number), a step logged twice (the later row kept), NaN
 * or infinite values (kept here; charts leave them out and say how many), and a metric that only
 * some rows have (the actor's losses after pretraining, evaluation columns).
 *
 * @param rows one per logged step, by step
 * @param lines the number of non-blank lines in the file
 * @param tornLastLine the last line had no line end and was not a complete JSON object: the run was
 *     probably killed while writing it
 * @param problems every other line skipped or replaced, one sentence each
 */
public record MetricsLog(List<Row> rows, int lines, boolean tornLastLine, List<String> problems) {

  /**
   * One logged step.
   *
   * @param step the training step of the row
   * @param values every numeric column but {@code step}, by name (NaN and infinities included)
   */
  public record Row(long step, SortedMap<String, Double> values) {
    public Row {
      values = Collections.unmodifiableSortedMap(new TreeMap<>(values));
    }

    /** The value of {@code column}, if the row has it (possibly not finite). */
    public Optional<Double> get(String column) {
      return Optional.ofNullable(values.get(column));
    }
  }

  public MetricsLog {
    rows = List.copyOf(rows);
    problems = List.copyOf(problems);
  }

  /** A run that has not logged anything yet. */
  public static MetricsLog empty() {
    return new MetricsLog(List.of(), 0, false, List.of());
  }

  /** Reads {@code file}; never fails on its contents, only when it cannot be read at all. */
  public static MetricsLog read(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8);
    return parse(text);
  }

  /** Parses the text of a {@code metrics.jsonl} file. */
  static MetricsLog parse(String text) {
    String[] lines = text.split("\n", -1);
    // A file that ends with a line end splits into a last empty piece; one that does not ends in
    // a line the writer never finished (unless that line happens to be a complete object).
    boolean endsWithLineEnd = text.isEmpty() || text.endsWith("\n");
    int lastContentLine = -1;
    for (int i = 0; i < lines.length; i++) {
      if (!lines[i].isBlank()) {
        lastContentLine = i;
      }
    }
    TreeMap<Long, Row> rows = new TreeMap<>();
    List<String> problems = new ArrayList<>();
    boolean torn = false;
    int count = 0;
    int duplicates = 0;
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty()) {
        continue;
      }
      count++;
      Optional<Row> row;
      String why;
      try {
        row = row(line);
        why = "it has no numeric \"" + MetricsRow.STEP + "\"";
      } catch (JsonParseException | IllegalStateException e) {
        row = Optional.empty();
        why = "it is not a JSON object";
      }
      if (row.isEmpty()) {
        if (i == lastContentLine && !endsWithLineEnd && why.startsWith("it is not")) {
          torn = true;
        } else {
          problems.add("line " + (i + 1) + " skipped: " + why);
        }
        continue;
      }
      if (rows.put(row.get().step(), row.get()) != null) {
        duplicates++;
      }
    }
    if (duplicates > 0) {
      problems.add(
          duplicates
              + " step(s) logged more than once; the later row of each is used"
              + " (a resume normally removes such rows)");
    }
    return new MetricsLog(new ArrayList<>(rows.values()), count, torn, problems);
  }

  /** The row of a line, or empty when the object has no usable step. */
  private static Optional<Row> row(String line) {
    JsonElement element = JsonParser.parseString(line);
    if (!element.isJsonObject()) {
      throw new IllegalStateException("not an object");
    }
    JsonObject json = element.getAsJsonObject();
    Optional<Double> step = number(json.get(MetricsRow.STEP));
    if (step.isEmpty() || !Double.isFinite(step.get()) || step.get() != Math.rint(step.get())) {
      return Optional.empty();
    }
    TreeMap<String, Double> values = new TreeMap<>();
    for (Map.Entry<String, JsonElement> entry : json.entrySet()) {
      if (!entry.getKey().equals(MetricsRow.STEP)) {
        number(entry.getValue()).ifPresent(v -> values.put(entry.getKey(), v));
      }
    }
    return Optional.of(new Row(step.get().longValue(), values));
  }

  /** A number, including NaN and infinities written bare or as strings; anything else is empty. */
  private static Optional<Double> number(JsonElement element) {
    if (element == null || !element.isJsonPrimitive()) {
      return Optional.empty();
    }
    JsonPrimitive primitive = element.getAsJsonPrimitive();
    if (primitive.isBoolean()) {
      return Optional.empty();
    }
    try {
      return Optional.of(primitive.getAsDouble());
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** True when the file had no row. */
  public boolean isEmpty() {
    return rows.isEmpty();
  }

  /** Every column any row has, by name. */
  public SortedSet<String> columns() {
    SortedSet<String> columns = new TreeSet<>();
    rows.forEach(row -> columns.addAll(row.values().keySet()));
    return columns;
  }

  /** True when some row has {@code column} (finite or not). */
  public boolean has(String column) {
    return rows.stream().anyMatch(row -> row.values().containsKey(column));
  }

  /** The rows that have a finite {@code column}, in step order. */
  public List<Row> rowsWith(String column) {
    return rows.stream()
        .filter(row -> row.get(column).filter(Double::isFinite).isPresent())
        .toList();
  }

  /** How many rows have {@code column} as NaN or an infinity. */
  public int nonFinite(String column) {
    return (int)
        rows.stream()
            .filter(row -> row.get(column).filter(v -> !Double.isFinite(v)).isPresent())
            .count();
  }

  /** The last row, if any. */
  public Optional<Row> last() {
    return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(rows.size() - 1));
  }
}
