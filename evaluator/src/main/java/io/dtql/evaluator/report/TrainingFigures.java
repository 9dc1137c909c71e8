package io.dtql.evaluator.report;

import io.dtql.agent.train.MetricsRow;
import io.dtql.evaluator.stats.Bootstrap;
import java.awt.Color;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Which charts a run's metrics make, and what each shows. The evaluation score comes first (the
 * curve people care most about): the D4RL-normalised score, or the return for tasks without
 * reference scores, with its confidence interval as a band (± 1 std where the run logged no
 * interval). Then the training curves by kind: a panel per loss, the Q/V estimates, the learning
 * rates, the training speed, and any other metric grouped by its prefix. A figure whose columns the
 * run does not have is not made.
 */
final class TrainingFigures {
  static final String EVAL_SCORE = "eval-score.png";
  static final String EVAL_DETAILS = "eval-details.png";
  static final String LOSSES = "losses.png";
  static final String VALUES = "values.png";
  static final String LEARNING_RATES = "learning-rates.png";
  static final String SPEED = "speed.png";
  static final String OTHER = "other-metrics.png";

  /** Every file name this class may write, so a new report can remove a previous one's charts. */
  static final List<String> ALL =
      List.of(EVAL_SCORE, EVAL_DETAILS, LOSSES, VALUES, LEARNING_RATES, SPEED, OTHER);

  static final String EVAL_PREFIX = "eval/";

  /** Series of different magnitudes by more than this factor get a panel each. */
  private static final double SCALE_RATIO = 20;

  /** Losses spanning more than this factor (all positive) are drawn on a log axis. */
  private static final double LOG_RATIO = 100;

  private static final List<String> LOSS_ORDER =
      List.of("critic", "value", "bc", "actor", "trust_region", "nll");

  private static final Map<String, String> LOSS_TITLES =
      Map.of(
          "critic", "Critic loss (twin Q, TD error)",
          "value", "Value loss (expectile regression)",
          "bc", "Behaviour-cloning diffusion loss",
          "actor", "Actor loss",
          "trust_region", "Diffusion trust-region loss",
          "nll", "Actor negative log-likelihood",
          "alpha", "Entropy temperature loss");

  private static final Map<String, String> VALUE_LABELS =
      Map.of(
          "values/q_mean", "Q (min of twin critics), batch mean",
          "values/v_mean", "V, batch mean");

  private TrainingFigures() {}

  /**
   * The headline evaluation metric of a run's rows.
   *
   * @param key "normalized" or "return": the columns are {@code eval/KEY_mean}, {@code _std},
   *     {@code _ci_low}, {@code _ci_high}
   * @param name what it is, for titles and tables
   * @param axis the y axis title
   */
  record EvalMetric(String key, String name, String axis) {
    static final EvalMetric NORMALIZED =
        new EvalMetric(
            "normalized", "D4RL-normalised score", "normalised score (0 random, 100 expert)");
    static final EvalMetric RETURN = new EvalMetric("return", "Return", "episode return");

    String mean() {
      return EVAL_PREFIX + key + "_mean";
    }

    String std() {
      return EVAL_PREFIX + key + "_std";
    }

    String ciLow() {
      return EVAL_PREFIX + key + "_ci_low";
    }

    String ciHigh() {
      return EVAL_PREFIX + key + "_ci_high";
    }

    /** What the band around the mean is, for this log: an interval, a std, or nothing. */
    Spread spread(MetricsLog log) {
      if (log.rows().stream().anyMatch(r -> finite(r, ciLow()) && finite(r, ciHigh()))) {
        return Spread.CI;
      }
      return log.rowsWith(std()).isEmpty() ? Spread.NONE : Spread.STD;
    }
  }

  /** What a band around an evaluation mean shows. */
  enum Spread {
    CI(
        String.format(
            Locale.ROOT, "%.0f%% bootstrap CI of the mean", 100 * Bootstrap.DEFAULT_LEVEL)),
    STD("± 1 std over episodes"),
    NONE("");

    final String label;

    Spread(String label) {
      this.label = label;
    }
  }

  /** The metric the score chart shows: the normalised score when the run logged it, else return. */
  static Optional<EvalMetric> headline(MetricsLog log) {
    if (!log.rowsWith(EvalMetric.NORMALIZED.mean()).isEmpty()) {
      return Optional.of(EvalMetric.NORMALIZED);
    }
    if (!log.rowsWith(EvalMetric.RETURN.mean()).isEmpty()) {
      return Optional.of(EvalMetric.RETURN);
    }
    return Optional.empty();
  }

  /**
   * The figures of {@code log}, in report order.
   *
   * @param evalEpisodes episodes per evaluation, when the run records it (for the legend)
   * @param pretrainEnd the step where pretraining ends, marked on the training curves if known
   */
  static List<ChartFigure> plan(
      MetricsLog log, OptionalInt evalEpisodes, OptionalLong pretrainEnd) {
    List<ChartFigure> figures = new ArrayList<>();
    if (log.isEmpty()) {
      return figures;
    }
    headline(log)
        .ifPresent(
            metric -> {
              figures.add(scoreFigure(log, metric, evalEpisodes));
              evalDetails(log).ifPresent(figures::add);
            });
    SortedSet<String> columns = new TreeSet<>(log.columns());
    columns.removeIf(c -> c.startsWith(EVAL_PREFIX) || c.equals(MetricsRow.WALL_TIME));
    columns.removeIf(c -> log.rowsWith(c).isEmpty());
    List<ChartFigure> training = new ArrayList<>();
    List<String> losses = take(columns, c -> c.startsWith("losses/"));
    losses.sort(Comparator.comparingInt(TrainingFigures::lossRank).thenComparing(c -> c));
    if (!losses.isEmpty()) {
      List<ChartFigure.Panel> panels = new ArrayList<>();
      for (String loss : losses) {
        String name = loss.substring("losses/".length());
        panels.add(
            panel(
                log,
                LOSS_TITLES.getOrDefault(name, name + " loss"),
                "loss (window mean)",
                List.of(loss),
                true));
      }
      training.add(ChartFigure.of(LOSSES, "Losses", panels));
    }
    List<String> values = take(columns, c -> c.startsWith("values/"));
    if (!values.isEmpty()) {
      training.add(
          ChartFigure.of(
              VALUES,
              "Value estimates",
              byScale(
                  log,
                  values,
                  "Value estimates on training batches",
                  "estimated value (discounted return)")));
    }
    List<String> rates = take(columns, c -> c.startsWith("charts/lr"));
    if (!rates.isEmpty()) {
      training.add(
          ChartFigure.of(
              LEARNING_RATES,
              "Learning rates",
              byScale(log, rates, "Learning rates", "learning rate")));
    }
    List<ChartFigure.Panel> speed = new ArrayList<>();
    List<String> stepsPerSecond = take(columns, c -> c.equals(MetricsRow.STEPS_PER_SECOND));
    if (!stepsPerSecond.isEmpty()) {
      speed.add(panel(log, "Training speed", "gradient steps per second", stepsPerSecond, false));
    }
    List<String> timing = take(columns, c -> c.startsWith("timing/"));
    if (!timing.isEmpty()) {
      // One panel whatever the magnitudes: the parts add up to one step.
      speed.add(panel(log, "Time per gradient step, by part", "milliseconds", timing, false));
    }
    if (!speed.isEmpty()) {
      training.add(ChartFigure.of(SPEED, "Training speed", speed));
    }
    if (!columns.isEmpty()) {
      Map<String, List<String>> groups = new TreeMap<>();
      for (String column : columns) {
        int slash = column.indexOf('/');
        groups
            .computeIfAbsent(slash < 0 ? "" : column.substring(0, slash), k -> new ArrayList<>())
            .add(column);
      }
      List<ChartFigure.Panel> panels = new ArrayList<>();
      groups.forEach(
          (group, names) ->
              panels.addAll(
                  names.size() == 1
                      ? List.of(panel(log, names.get(0), "value", names, false))
                      : byScale(log, names, group.isEmpty() ? "Other" : group, "value")));
      training.add(ChartFigure.of(OTHER, "Other metrics", panels));
    }
    for (ChartFigure figure : training) {
      figures.add(pretrainEnd.isPresent() ? figure.marking(pretrainEnd.getAsLong()) : figure);
    }
    double last = log.last().orElseThrow().step();
    return figures.stream().map(f -> f.spanning(last)).toList();
  }

  private static ChartFigure scoreFigure(MetricsLog log, EvalMetric metric, OptionalInt episodes) {
    String meanLabel =
        episodes.isPresent()
            ? "mean of " + episodes.getAsInt() + " episodes"
            : "mean over the episodes";
    ChartFigure.Panel panel =
        evalPanel(log, metric, metric.name() + " during training", metric.axis(), meanLabel, false);
    return ChartFigure.of(EVAL_SCORE, metric.name() + " during training", List.of(panel));
  }

  /**
   * The return's mean with the best and worst episode (the score chart has the interval), episode
   * length and any other eval column.
   */
  private static Optional<ChartFigure> evalDetails(MetricsLog log) {
    List<ChartFigure.Panel> panels = new ArrayList<>();
    EvalMetric ret = EvalMetric.RETURN;
    if (!log.rowsWith(ret.mean()).isEmpty()) {
      panels.add(
          evalPanel(log, ret, "Return: mean, best and worst episode", ret.axis(), "mean", true));
    }
    Set<String> shown =
        Set.of(
            "return_mean",
            "return_std",
            "return_min",
            "return_max",
            "return_ci_low",
            "return_ci_high",
            "normalized_mean",
            "normalized_std",
            "normalized_ci_low",
            "normalized_ci_high");
    List<String> others =
        log.columns().stream()
            .filter(c -> c.startsWith(EVAL_PREFIX))
            .filter(c -> !shown.contains(c.substring(EVAL_PREFIX.length())))
            .filter(c -> !log.rowsWith(c).isEmpty())
            .toList();
    for (String column : others) {
      String name = column.substring(EVAL_PREFIX.length());
      switch (name) {
        case "length_mean" ->
            panels.add(
                panel(log, "Episode length", "steps per episode (mean)", List.of(column), false));
        case "seconds" ->
            panels.add(panel(log, "Time per evaluation", "seconds", List.of(column), false));
        default -> panels.add(panel(log, "eval/" + name, name, List.of(column), false));
      }
    }
    return panels.isEmpty()
        ? Optional.empty()
        : Optional.of(ChartFigure.of(EVAL_DETAILS, "Evaluation details", panels));
  }

  /**
   * The mean of {@code metric} at each evaluated step with its band, and (with {@code extremes})
   * the worst and best episode as dashed lines instead of the band.
   */
  private static ChartFigure.Panel evalPanel(
      MetricsLog log,
      EvalMetric metric,
      String title,
      String axis,
      String meanLabel,
      boolean extremes) {
    List<MetricsLog.Row> rows = log.rowsWith(metric.mean());
    double[] x = steps(rows);
    double[] mean = values(rows, metric.mean());
    Color color = ChartFigure.COLORS[0];
    List<ChartFigure.Line> lines = new ArrayList<>();
    lines.add(new ChartFigure.Line(meanLabel, x, mean, false, Optional.of(color)));
    Optional<ChartFigure.Band> band = Optional.empty();
    if (extremes) {
      for (String end : List.of("max", "min")) {
        String column = EVAL_PREFIX + metric.key() + "_" + end;
        List<MetricsLog.Row> with = log.rowsWith(column);
        if (!with.isEmpty()) {
          lines.add(
              new ChartFigure.Line(
                  end.equals("max") ? "best episode" : "worst episode",
                  steps(with),
                  values(with, column),
                  true,
                  Optional.of(end.equals("max") ? ChartFigure.COLORS[2] : ChartFigure.COLORS[3])));
        }
      }
    } else {
      Spread spread = metric.spread(log);
      double[] low = new double[rows.size()];
      double[] high = new double[rows.size()];
      for (int i = 0; i < rows.size(); i++) {
        MetricsLog.Row row = rows.get(i);
        switch (spread) {
          case CI -> {
            low[i] = row.get(metric.ciLow()).orElse(Double.NaN);
            high[i] = row.get(metric.ciHigh()).orElse(Double.NaN);
          }
          case STD -> {
            double std = row.get(metric.std()).orElse(Double.NaN);
            low[i] = mean[i] - std;
            high[i] = mean[i] + std;
          }
          case NONE -> {
            low[i] = Double.NaN;
            high[i] = Double.NaN;
          }
        }
      }
      if (spread != Spread.NONE) {
        band = Optional.of(new ChartFigure.Band(spread.label, x, low, high, color));
      }
    }
    return new ChartFigure.Panel(title, axis, lines, band, false);
  }

  /** One panel of {@code columns}, on a log axis if {@code logIfWide} and their range is wide. */
  private static ChartFigure.Panel panel(
      MetricsLog log, String title, String axis, List<String> columns, boolean logIfWide) {
    List<ChartFigure.Line> lines = new ArrayList<>();
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (String column : columns) {
      List<MetricsLog.Row> rows = log.rowsWith(column);
      double[] x = steps(rows);
      double[] y = values(rows, column);
      for (double v : y) {
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
      // Curves that coincide (the actor's and the BC network's learning rate) are one line, or
      // the one drawn first would be hidden.
      int same = -1;
      for (int i = 0; i < lines.size(); i++) {
        if (Arrays.equals(lines.get(i).x(), x) && Arrays.equals(lines.get(i).y(), y)) {
          same = i;
        }
      }
      if (same >= 0) {
        ChartFigure.Line line = lines.get(same);
        lines.set(same, new ChartFigure.Line(line.label() + ", " + legend(column), x, y));
      } else {
        lines.add(new ChartFigure.Line(legend(column), x, y));
      }
    }
    boolean log10 = logIfWide && min > 0 && max / min >= LOG_RATIO;
    return new ChartFigure.Panel(title, axis, lines, Optional.empty(), log10);
  }

  /**
   * Panels of {@code columns}: one when their magnitudes are alike (within a factor {@value
   * #SCALE_RATIO}), else one per group of alike columns, each titled by its columns.
   */
  private static List<ChartFigure.Panel> byScale(
      MetricsLog log, List<String> columns, String title, String axis) {
    Map<String, Double> magnitude = new LinkedHashMap<>();
    for (String column : columns) {
      double m = 0;
      for (double v : values(log.rowsWith(column), column)) {
        m = Math.max(m, Math.abs(v));
      }
      magnitude.put(column, m);
    }
    List<List<String>> groups = new ArrayList<>();
    for (String column : columns) {
      double m = magnitude.get(column);
      Optional<List<String>> alike =
          groups.stream().filter(g -> alike(magnitude.get(g.get(0)), m)).findFirst();
      if (alike.isPresent()) {
        alike.get().add(column);
      } else {
        groups.add(new ArrayList<>(List.of(column)));
      }
    }
    if (groups.size() == 1) {
      return List.of(panel(log, title, axis, columns, false));
    }
    List<ChartFigure.Panel> panels = new ArrayList<>();
    for (List<String> group : groups) {
      String names = String.join(", ", group.stream().map(TrainingFigures::shortName).toList());
      panels.add(panel(log, title + ": " + names, axis, group, false));
    }
    return panels;
  }

  private static boolean alike(double a, double b) {
    if (a == 0 || b == 0) {
      return a == b;
    }
    return Math.max(a, b) / Math.min(a, b) <= SCALE_RATIO;
  }

  private static String legend(String column) {
    String label = VALUE_LABELS.get(column);
    if (label != null) {
      return label;
    }
    if (column.startsWith("charts/lr_")) {
      return column.substring("charts/lr_".length());
    }
    if (column.startsWith("timing/") && column.endsWith("_ms")) {
      return column.substring("timing/".length(), column.length() - "_ms".length());
    }
    return shortName(column);
  }

  private static String shortName(String column) {
    int slash = column.indexOf('/');
    return slash < 0 ? column : column.substring(slash + 1);
  }

  private static int lossRank(String column) {
    int rank = LOSS_ORDER.indexOf(column.substring("losses/".length()));
    return rank < 0 ? LOSS_ORDER.size() : rank;
  }

  /** Removes and returns the columns that match, in order. */
  private static List<String> take(
      SortedSet<String> columns, java.util.function.Predicate<String> matches) {
    List<String> taken = new ArrayList<>(columns.stream().filter(matches).toList());
    columns.removeAll(taken);
    return taken;
  }

  static double[] steps(List<MetricsLog.Row> rows) {
    return rows.stream().mapToDouble(MetricsLog.Row::step).toArray();
  }

  static double[] values(List<MetricsLog.Row> rows, String column) {
    return rows.stream().mapToDouble(r -> r.get(column).orElse(Double.NaN)).toArray();
  }

  private static boolean finite(MetricsLog.Row row, String column) {
    return row.get(column).filter(Double::isFinite).isPresent();
  }
}
