package io.dtql.evaluator.report;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.dtql.agent.io.AtomicFiles;
import io.dtql.agent.runtime.BuildInfo;
import io.dtql.agent.train.MetricsRow;
import io.dtql.agent.train.RunDirectory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The report of a training run: {@code report.md} with the evaluation score during training first
 * (a chart and a table of the final and best evaluations), then the training curves (losses, value
 * estimates, learning rates, speed) as PNG charts beside it, notes on anything wrong with the
 * metrics (a last line cut short by a killed run, NaN values, skipped lines), and the provenance of
 * the run and of the report (dataset with size and SHA-256, preset, configuration, seed, the git
 * commit the run was trained with when it recorded one, and the commit, Java, DJL and PyTorch
 * versions of the code that wrote the report).
 */
public final class TrainingReport {
  public static final String REPORT_FILE = "report.md";

  /** The report directory a run gets unless told otherwise: {@code RUN/report}. */
  public static final String DEFAULT_DIRECTORY = "report";

  /**
   * What was written.
   *
   * @param markdown the report file
   * @param charts the PNG files, in report order
   * @param notes what the report says about problems in the run's files
   * @param headline the headline evaluation line, if the run evaluated
   */
  public record Result(
      Path markdown, List<Path> charts, List<String> notes, Optional<String> headline) {
    public Result {
      charts = List.copyOf(charts);
      notes = List.copyOf(notes);
    }
  }

  private TrainingReport() {}

  /**
   * Writes the report of the run at {@code runDir} into {@code outputDir} (created if needed;
   * charts of an earlier report there that this one does not make are removed).
   *
   * @param software what runs this process, see {@link Provenance#software()}
   * @throws TrainingRun.NotARunException when {@code runDir} is not a training run
   * @throws IOException when the run's files cannot be read or the report cannot be written
   */
  public static Result write(Path runDir, Path outputDir, Provenance software) throws IOException {
    TrainingRun run = TrainingRun.read(runDir);
    MetricsLog log = run.metrics();
    List<ChartFigure> figures = TrainingFigures.plan(log, evalEpisodes(run), pretrainEnd(run, log));
    Files.createDirectories(outputDir);
    for (String name : TrainingFigures.ALL) {
      Files.deleteIfExists(outputDir.resolve(name));
    }
    List<Path> charts = new ArrayList<>();
    for (ChartFigure figure : figures) {
      Path file = outputDir.resolve(figure.fileName());
      figure.write(file);
      charts.add(file);
    }
    List<String> notes = notes(run);
    Optional<String> headline = headline(log);
    String markdown =
        render(run, figures, notes, headline, provenance(run), reportProvenance(run, software));
    Path report = outputDir.resolve(REPORT_FILE);
    AtomicFiles.write(report, markdown.getBytes(StandardCharsets.UTF_8));
    return new Result(report, charts, notes, headline);
  }

  // ---------------------------------------------------------------------------------------------
  // Markdown

  static String render(
      TrainingRun run,
      List<ChartFigure> figures,
      List<String> notes,
      Optional<String> headline,
      Provenance runProvenance,
      Provenance reportProvenance) {
    MetricsLog log = run.metrics();
    StringBuilder md = new StringBuilder();
    md.append("# Training report: ").append(Markdown.code(run.name())).append("\n\n");
    md.append(summary(run)).append("\n\n");
    headline.ifPresent(line -> md.append("**").append(line).append("**\n\n"));
    if (!notes.isEmpty()) {
      md.append("> **Notes on the data**\n>\n");
      notes.forEach(note -> md.append("> - ").append(Markdown.text(note)).append('\n'));
      md.append('\n');
    }

    md.append("## Evaluation during training\n\n");
    Optional<TrainingFigures.EvalMetric> metric = TrainingFigures.headline(log);
    if (metric.isEmpty()) {
      md.append(
          "The run did not evaluate its policy while training (its metrics have no `eval/*`"
              + " columns), so there is no score curve. `dtql train --eval-every K` evaluates"
              + " every K steps; `dtql evaluate --checkpoint RUN_DIR` scores the latest"
              + " checkpoint afterwards.\n\n");
    } else {
      embed(md, figures, TrainingFigures.EVAL_SCORE);
      md.append(scoreTable(log, metric.get(), evalEpisodes(run))).append('\n');
      embed(md, figures, TrainingFigures.EVAL_DETAILS);
    }

    md.append("## Training curves\n\n");
    boolean any = false;
    for (ChartFigure figure : figures) {
      if (figure.fileName().startsWith("eval-")) {
        continue;
      }
      any = true;
      md.append("### ").append(figure.title()).append("\n\n");
      md.append(image(figure)).append("\n\n");
    }
    if (!any) {
      md.append("No training metrics were logged yet.\n\n");
    } else {
      md.append(curveNotes(run)).append("\n\n");
      md.append(lastValues(log));
    }

    md.append("## Provenance\n\n### The run\n\n").append(runProvenance.toMarkdown()).append('\n');
    List<Map.Entry<String, String>> config = run.configFields();
    if (!config.isEmpty()) {
      md.append("Its configuration (`config.json`):\n\n| field | value |\n|---|---|\n");
      config.forEach(
          e ->
              md.append("| ")
                  .append(Markdown.cell(e.getKey()))
                  .append(" | ")
                  .append(Markdown.cell(e.getValue()))
                  .append(" |\n"));
      md.append('\n');
    }
    md.append("### This report\n\n").append(reportProvenance.toMarkdown());
    return md.toString();
  }

  /** One paragraph: preset, seed, how far the run got, how long it trained, where it ended. */
  private static String summary(TrainingRun run) {
    MetricsLog log = run.metrics();
    List<String> parts = new ArrayList<>();
    run.string("config.preset").ifPresent(p -> parts.add("Preset " + Markdown.code(p)));
    run.number("config.seed").ifPresent(s -> parts.add("seed " + (long) s.doubleValue()));
    run.string("device").ifPresent(d -> parts.add("on " + Markdown.code(d)));
    StringBuilder text = new StringBuilder(String.join(", ", parts));
    if (!text.isEmpty()) {
      text.append(". ");
    }
    if (log.isEmpty()) {
      text.append(run.hasMetricsFile() ? "No metrics rows yet." : "No metrics.jsonl yet.");
    } else {
      long last = log.last().orElseThrow().step();
      text.append(
          String.format(
              Locale.ROOT,
              "%d metrics row%s from step %,d to %,d",
              log.rows().size(),
              log.rows().size() == 1 ? "" : "s",
              log.rows().get(0).step(),
              last));
      run.endStep()
          .ifPresent(
              end ->
                  text.append(
                      last >= end
                          ? String.format(Locale.ROOT, " (the run's last step is %,d)", end)
                          : String.format(
                              Locale.ROOT, " of the run's %,d (%.0f%%)", end, 100.0 * last / end)));
      log.last()
          .flatMap(r -> r.get(MetricsRow.WALL_TIME))
          .filter(Double::isFinite)
          .ifPresent(s -> text.append(", ").append(duration(s)).append(" of training"));
      text.append('.');
    }
    if (!run.checkpoints().isEmpty()) {
      text.append(" Latest checkpoint: ")
          .append(
              Markdown.code(
                  run.checkpoints().get(run.checkpoints().size() - 1).getFileName().toString()))
          .append('.');
    }
    return text.toString();
  }

  /** The headline sentence: final and best score. */
  private static Optional<String> headline(MetricsLog log) {
    return TrainingFigures.headline(log)
        .map(
            metric -> {
              List<MetricsLog.Row> rows = log.rowsWith(metric.mean());
              MetricsLog.Row last = rows.get(rows.size() - 1);
              MetricsLog.Row best = best(rows, metric);
              return String.format(
                  Locale.ROOT,
                  "%s: %s at the last evaluation (step %,d); best %s at step %,d.",
                  metric.name(),
                  score(last.get(metric.mean()).orElseThrow()),
                  last.step(),
                  score(best.get(metric.mean()).orElseThrow()),
                  best.step());
            });
  }

  /** The row with the highest mean (the earliest of equal ones). */
  static MetricsLog.Row best(List<MetricsLog.Row> rows, TrainingFigures.EvalMetric metric) {
    return rows.stream()
        .max(
            Comparator.comparingDouble((MetricsLog.Row r) -> r.get(metric.mean()).orElseThrow())
                .thenComparing(r -> -r.step()))
        .orElseThrow();
  }

  /** The final and best evaluation: step, score and return with their interval or std. */
  private static String scoreTable(
      MetricsLog log, TrainingFigures.EvalMetric metric, OptionalInt episodes) {
    List<MetricsLog.Row> rows = log.rowsWith(metric.mean());
    MetricsLog.Row last = rows.get(rows.size() - 1);
    MetricsLog.Row best = best(rows, metric);
    StringBuilder md = new StringBuilder("| | final evaluation | best evaluation |\n");
    md.append("|---|---:|---:|\n");
    md.append(String.format(Locale.ROOT, "| step | %,d | %,d |%n", last.step(), best.step()));
    List<TrainingFigures.EvalMetric> metrics = new ArrayList<>(List.of(metric));
    if (metric != TrainingFigures.EvalMetric.RETURN
        && !log.rowsWith(TrainingFigures.EvalMetric.RETURN.mean()).isEmpty()) {
      metrics.add(TrainingFigures.EvalMetric.RETURN);
    }
    for (TrainingFigures.EvalMetric m : metrics) {
      md.append("| ")
          .append(m.name())
          .append(" | ")
          .append(cell(last, m))
          .append(" | ")
          .append(cell(best, m))
          .append(" |\n");
    }
    md.append('\n');
    String what =
        episodes.isPresent()
            ? "Mean of " + episodes.getAsInt() + " episodes"
            : "Mean over the evaluation's episodes";
    md.append(what)
        .append(
            "; in brackets its "
                + TrainingFigures.Spread.CI.label
                + " where the run logged one, else ± its standard deviation over episodes."
                + " \"Best\" is the evaluation with the highest mean score: picking it after the"
                + " fact favours it, so the final evaluation is the fairer figure.\n");
    return md.toString();
  }

  private static String cell(MetricsLog.Row row, TrainingFigures.EvalMetric metric) {
    Optional<Double> mean = row.get(metric.mean()).filter(Double::isFinite);
    if (mean.isEmpty()) {
      return "n/a";
    }
    Optional<Double> low = row.get(metric.ciLow()).filter(Double::isFinite);
    Optional<Double> high = row.get(metric.ciHigh()).filter(Double::isFinite);
    if (low.isPresent() && high.isPresent()) {
      return score(mean.get()) + " [" + score(low.get()) + ", " + score(high.get()) + "]";
    }
    Optional<Double> std = row.get(metric.std()).filter(Double::isFinite);
    return std.map(s -> score(mean.get()) + " ± " + score(s)).orElse(score(mean.get()));
  }

  static String score(double value) {
    return String.format(Locale.ROOT, "%.2f", value);
  }

  /** What the training curves are. */
  private static String curveNotes(TrainingRun run) {
    StringBuilder text =
        new StringBuilder(
            "Each point is a metric's mean over the steps since the previous row (the logging"
                + " window");
    run.number("outputs.log_every")
        .ifPresent(
            k ->
                text.append(
                    String.format(Locale.ROOT, ", %,d steps in this run", (long) k.doubleValue())));
    text.append("), not one batch's value.");
    pretrainEnd(run, run.metrics())
        .ifPresent(
            step ->
                text.append(
                    String.format(
                        Locale.ROOT,
                        " The dotted vertical line marks the end of pretraining (step %,d):"
                            + " the actor's losses start there.",
                        step)));
    return text.toString();
  }

  /** The last logged value of every loss and value estimate. */
  private static String lastValues(MetricsLog log) {
    List<String> columns =
        log.columns().stream()
            .filter(c -> c.startsWith("losses/") || c.startsWith("values/"))
            .filter(c -> !log.rowsWith(c).isEmpty())
            .toList();
    if (columns.isEmpty()) {
      return "";
    }
    StringBuilder md = new StringBuilder("Last logged value of each loss and estimate:\n\n");
    md.append("| metric | value | at step |\n|---|---:|---:|\n");
    for (String column : columns) {
      List<MetricsLog.Row> rows = log.rowsWith(column);
      MetricsLog.Row last = rows.get(rows.size() - 1);
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %,d |%n",
              Markdown.codeCell(column),
              number(last.get(column).orElseThrow()),
              last.step()));
    }
    return md.append('\n').toString();
  }

  private static String number(double value) {
    double abs = Math.abs(value);
    if (abs != 0 && (abs < 1e-3 || abs >= 1e6)) {
      return String.format(Locale.ROOT, "%.4g", value);
    }
    return String.format(Locale.ROOT, "%.4f", value);
  }

  private static void embed(StringBuilder md, List<ChartFigure> figures, String fileName) {
    figures.stream()
        .filter(f -> f.fileName().equals(fileName))
        .findFirst()
        .ifPresent(f -> md.append(image(f)).append("\n\n"));
  }

  private static String image(ChartFigure figure) {
    return "![" + Markdown.text(figure.title()) + "](" + figure.fileName() + ")";
  }

  // ---------------------------------------------------------------------------------------------
  // Notes and provenance

  /** What is wrong with or missing from the run's files, one sentence each. */
  static List<String> notes(TrainingRun run) {
    MetricsLog log = run.metrics();
    List<String> notes = new ArrayList<>();
    if (!run.hasMetricsFile()) {
      notes.add("The run has no " + RunDirectory.METRICS_JSONL + " yet: there are no curves.");
    }
    if (run.record().isEmpty()) {
      notes.add(
          "The run has no "
              + RunDirectory.CONFIG_FILE
              + ": its dataset, preset and configuration are unknown"
              + (Files.isRegularFile(run.path().resolve("run.json"))
                  ? " (it has the run.json of a dtql sac run, which this report does not read)."
                  : "."));
    }
    if (log.tornLastLine()) {
      notes.add(
          "The last line of "
              + RunDirectory.METRICS_JSONL
              + " is incomplete (the run was probably stopped while writing it) and was skipped"
              + log.last()
                  .map(r -> String.format(Locale.ROOT, "; the report ends at step %,d", r.step()))
                  .orElse("")
              + ".");
    }
    log.problems().forEach(problem -> notes.add(RunDirectory.METRICS_JSONL + ": " + problem + "."));
    for (String column : log.columns()) {
      int bad = log.nonFinite(column);
      if (bad > 0) {
        long first =
            log.rows().stream()
                .filter(r -> r.get(column).filter(v -> !Double.isFinite(v)).isPresent())
                .findFirst()
                .orElseThrow()
                .step();
        notes.add(
            String.format(
                Locale.ROOT,
                "%s is NaN or infinite in %d row%s (first at step %,d); those points are not"
                    + " drawn.",
                column,
                bad,
                bad == 1 ? "" : "s",
                first));
      }
    }
    if (!log.isEmpty() && log.rows().size() < 3) {
      notes.add(
          "Only "
              + log.rows().size()
              + " metrics row"
              + (log.rows().size() == 1 ? " was" : "s were")
              + " logged: the curves are points.");
    }
    return notes;
  }

  /** What produced the run, from its record: directory, preset, seed, dataset, code, resumes. */
  static Provenance provenance(TrainingRun run) {
    Provenance result =
        Provenance.empty()
            .with("run directory", run.path().toAbsolutePath().normalize().toString());
    if (run.string("algorithm").isPresent()) {
      result = result.with("algorithm", run.string("algorithm").get());
    }
    if (run.string("config.preset").isPresent()) {
      result = result.with("preset", run.string("config.preset").get());
    }
    if (run.number("config.seed").isPresent()) {
      result =
          result.with(
              "seed",
              Long.toString(run.number("config.seed").get().longValue())
                  + evaluationSeeds(run).orElse(""));
    }
    if (run.string("dataset").isPresent()) {
      result = result.with("dataset", run.string("dataset").get());
    }
    List<String> files = run.datasetFiles();
    for (int i = 0; i < files.size(); i++) {
      result =
          result.with(files.size() == 1 ? "dataset file" : "dataset file " + (i + 1), files.get(i));
    }
    if (run.record().isPresent() && files.isEmpty()) {
      result =
          result.with(
              "dataset file",
              "size and SHA-256 not recorded (the run was started before dtql recorded them)");
    }
    if (run.string("device").isPresent()) {
      result = result.with("device", run.string("device").get());
    }
    if (run.record().isPresent()) {
      result = result.with("trained with dtql code", code(run.object("code")));
    }
    JsonArray resumes = run.array("resumes").orElse(new JsonArray());
    int index = 0;
    for (JsonElement element : resumes) {
      index++;
      if (!element.isJsonObject()) {
        continue;
      }
      JsonObject resume = element.getAsJsonObject();
      String step =
          resume.has("step")
              ? String.format(Locale.ROOT, "%,d", resume.get("step").getAsLong())
              : "?";
      Optional<JsonObject> code =
          resume.has("code") && resume.get("code").isJsonObject()
              ? Optional.of(resume.getAsJsonObject("code"))
              : Optional.empty();
      result =
          result.with(
              "resume " + index,
              "at step "
                  + step
                  + (resume.has("device") ? " on " + resume.get("device").getAsString() : "")
                  + ", code "
                  + code(code));
    }
    return result;
  }

  /** What produced the report: the metrics file it read, {@code software}, and when. */
  static Provenance reportProvenance(TrainingRun run, Provenance software) {
    Provenance result = Provenance.empty();
    Path metricsFile = run.path().resolve(RunDirectory.METRICS_JSONL);
    if (Files.isRegularFile(metricsFile)) {
      result = result.withFile("metrics read", metricsFile);
    }
    result = result.with(software);
    return result.with(
        "report written",
        ZonedDateTime.now()
            .truncatedTo(ChronoUnit.SECONDS)
            .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
  }

  /** The code a run recorded (config.json's {@code code}), or that it recorded none. */
  private static String code(Optional<JsonObject> code) {
    if (code.isEmpty()) {
      return "not recorded (the run was started by a dtql build that did not record its commit)";
    }
    JsonObject json = code.get();
    BuildInfo build =
        new BuildInfo(
            text(json, "git_commit"),
            text(json, "git_commit_time"),
            text(json, "git_dirty"),
            text(json, "version"));
    return build.describe();
  }

  private static String text(JsonObject json, String field) {
    JsonElement value = json.get(field);
    return value == null || !value.isJsonPrimitive() ? null : value.getAsString();
  }

  private static Optional<String> evaluationSeeds(TrainingRun run) {
    return run.number("outputs.eval_every")
        .filter(k -> k > 0)
        .map(
            k ->
                " (evaluation: "
                    + run.number("outputs.eval_episodes")
                        .map(e -> (long) e.doubleValue() + " ")
                        .orElse("")
                    + "episodes every "
                    + String.format(Locale.ROOT, "%,d", (long) k.doubleValue())
                    + " steps)");
  }

  private static OptionalInt evalEpisodes(TrainingRun run) {
    return run.number("outputs.eval_episodes")
        .filter(e -> e > 0)
        .map(e -> OptionalInt.of((int) e.doubleValue()))
        .orElse(OptionalInt.empty());
  }

  /** The step where pretraining ends, if the run has one and it lies within the logged steps. */
  private static OptionalLong pretrainEnd(TrainingRun run, MetricsLog log) {
    Optional<Double> pretrain = run.number("config.pretrain-steps").filter(p -> p > 0);
    if (pretrain.isEmpty() || log.isEmpty()) {
      return OptionalLong.empty();
    }
    long step = pretrain.get().longValue();
    return step < log.last().orElseThrow().step() ? OptionalLong.of(step) : OptionalLong.empty();
  }

  private static String duration(double seconds) {
    long s = Math.round(seconds);
    if (s < 60) {
      return s + " s";
    }
    if (s < 3600) {
      return String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60);
    }
    return String.format(Locale.ROOT, "%d h %02d min", s / 3600, (s % 3600) / 60);
  }
}
