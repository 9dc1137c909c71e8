package io.dtql.cli;

import io.dtql.agent.train.ProgressReporter;
import io.dtql.envbridge.TaskSpec;
import io.dtql.evaluator.Policy;
import io.dtql.evaluator.collect.BehaviourCatalog;
import io.dtql.evaluator.collect.CollectionPolicy;
import io.dtql.evaluator.collect.DatasetCollection;
import io.dtql.evaluator.collect.DatasetKind;
import io.dtql.evaluator.collect.antmaze.AntMazeRecipe;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.function.IntConsumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dtql collect}: records a behaviour's experience as a D4RL-layout HDF5 dataset. */
@Command(
    name = "collect",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Record a D4RL-style dataset: random, medium, medium-replay, expert or medium-expert"
          + " (behaviour policies from the project's catalog), one of D4RL's six antmaze datasets"
          + " (the catalog's walking controller steered by waypoints), or a DTQL checkpoint's"
          + " rollouts.",
      "The file is written atomically, with its provenance under metadata/ (policy, seeds,"
          + " simulator version and model hash, a content hash of the arrays); `dtql train`"
          + " reads it."
    })
final class CollectCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--task",
      paramLabel = "ID",
      description =
          "Task. Default: hopper; for an antmaze kind, the maze's collection task"
              + " (antmaze-MAZE-collect[-multistart]).")
  String task;

  @Option(
      names = "--kind",
      paramLabel = "KIND",
      description =
          "random, medium, medium-replay, expert, medium-expert, or antmaze-umaze,"
              + " antmaze-umaze-diverse, antmaze-medium-play, antmaze-medium-diverse,"
              + " antmaze-large-play, antmaze-large-diverse. Default: random (or the checkpoint's"
              + " policy with --checkpoint).")
  String kind;

  @Option(
      names = "--rows",
      paramLabel = "N",
      description =
          "Rows to record. Default: D4RL's size (1000000; 2000000 for medium-expert; the medium"
              + " run's buffer for medium-replay).")
  int rows;

  @Option(
      names = "--output",
      paramLabel = "FILE",
      required = true,
      description = "The .hdf5 file to write.")
  Path output;

  @Option(names = "--overwrite", description = "Replace --output if it exists.")
  boolean overwrite;

  @Option(
      names = "--num-envs",
      description = "Environments stepped together. Default: ${DEFAULT-VALUE}.")
  int numEnvs = 64;

  @Option(
      names = "--seed",
      description =
          "Base seed; env i gets seed + i and its own behaviour-noise stream. Default:"
              + " ${DEFAULT-VALUE}.")
  long seed = 0;

  @Option(
      names = "--local-servers",
      paramLabel = "N",
      description =
          "Local env servers the envs are spread over, each a process of its own, so they step in"
              + " parallel (the data is the same for any N). Ignored with --target. Default: the"
              + " machine's cores, at most 4.")
  Integer localServers;

  @Mixin CatalogOptions catalogOptions;

  @Mixin PolicyOptions policy;

  @Mixin SimulatorOptions simulator;

  @Override
  public Integer call() throws IOException {
    Usage.require(rows == 0 || rows >= 2, spec, "--rows must be >= 2, got " + rows);
    Usage.require(numEnvs >= 1, spec, "--num-envs must be >= 1, got " + numEnvs);
    Usage.require(
        localServers == null || localServers >= 1,
        spec,
        "--local-servers must be >= 1, got " + localServers);
    Usage.requireFileTarget(spec, "--output", output);
    Usage.require(
        overwrite || !Files.exists(output),
        spec,
        "--output " + output + " exists; pass --overwrite to replace it");
    boolean checkpoint = policy.checkpoint() != null;
    Usage.require(
        !(checkpoint && kind != null),
        spec,
        "--kind and --checkpoint exclude each other: a kind names a catalogued behaviour");
    DatasetKind datasetKind;
    try {
      datasetKind = kind == null ? DatasetKind.RANDOM : DatasetKind.parse(kind);
    } catch (IllegalArgumentException e) {
      throw Usage.error(spec, "--kind " + e.getMessage());
    }
    task = resolveTask(datasetKind);
    BehaviourCatalog catalog = null;
    if (!checkpoint && datasetKind != DatasetKind.RANDOM) {
      Path dir = catalogOptions.directory();
      catalog = BehaviourCatalog.open(dir);
      for (DatasetKind needed : datasetKind.behaviours()) {
        Usage.require(
            catalog.find(task, needed.id()).isPresent(),
            spec,
            "--kind "
                + datasetKind.id()
                + ": "
                + dir.resolve(BehaviourCatalog.MANIFEST)
                + " has no "
                + needed.id()
                + " behaviour policy for task "
                + task);
      }
    }
    DatasetCollection.Request request =
        new DatasetCollection.Request(task, datasetKind, rows, numEnvs, seed);
    DatasetCollection.Result result;
    int servers = localServers != null ? localServers : defaultLocalServers();
    long total = totalRows(datasetKind, catalog);
    try (SimulatorOptions.Simulators sims = simulator.openAll(Math.min(servers, numEnvs));
        ProgressReporter bar = progressReporter(datasetKind, total)) {
      IntConsumer onRows = new RowCounter(bar, total);
      policy.requireTasksFit(sims.clients().get(0), List.of(task));
      if (checkpoint) {
        Function<TaskSpec, Policy> policyFor = policy.policyFor();
        result =
            DatasetCollection.run(
                sims.clients(),
                request,
                s -> CollectionPolicy.of(policyFor.apply(s), seed),
                "dtql checkpoint " + policy.checkpoint(),
                output,
                onRows);
      } else {
        result = DatasetCollection.run(sims.clients(), request, catalog, output, onRows);
      }
    }
    report(result);
    return 0;
  }

  /**
   * The task to record in: --task, else hopper; an antmaze kind is recorded in its maze's
   * collection task, and --task may name that task or the maze's evaluation task.
   */
  private String resolveTask(DatasetKind datasetKind) {
    if (datasetKind.antmaze().isEmpty()) {
      return task != null ? task : "hopper";
    }
    AntMazeRecipe recipe = datasetKind.antmaze().get();
    Usage.require(
        task == null
            || task.equals(recipe.collectionTask())
            || task.equals(recipe.evaluationTask()),
        spec,
        "--kind "
            + datasetKind.id()
            + " is recorded in task "
            + recipe.collectionTask()
            + " (evaluated on "
            + recipe.evaluationTask()
            + "), not "
            + task);
    return recipe.collectionTask();
  }

  /** Local servers a collection spreads its envs over by default: the cores, at most 4. */
  static int defaultLocalServers() {
    return Math.min(4, Runtime.getRuntime().availableProcessors());
  }

  private ProgressReporter progressReporter(DatasetKind datasetKind, long total) {
    return new ProgressOptions(ProgressStyle.AUTO, ProgressOptions.DEFAULT_LINE_INTERVAL)
        .open("collect " + task + " " + datasetKind.id(), "row", 0, total);
  }

  /** The rows the collection will write (medium-replay's default: its schedule's rows). */
  private long totalRows(DatasetKind datasetKind, BehaviourCatalog catalog) {
    if (rows != 0) {
      return rows;
    }
    if (datasetKind == DatasetKind.MEDIUM_REPLAY) {
      return catalog.find(task, datasetKind.id()).orElseThrow().scheduledRows();
    }
    return datasetKind.defaultRows();
  }

  /**
   * Counts rows for the reporter, up to {@code total} (the episodes still running at the end are
   * appended whole and then cut to size), with the rate over the last second or more.
   */
  static final class RowCounter implements IntConsumer {
    private final ProgressReporter reporter;
    private final long total;
    private long done;
    private long doneAtLastRate;
    private long lastRateNanos = System.nanoTime();

    RowCounter(ProgressReporter reporter, long total) {
      this.reporter = reporter;
      this.total = total;
    }

    @Override
    public void accept(int rows) {
      done = Math.min(total, done + rows);
      reporter.stepTo(done);
      long now = System.nanoTime();
      if (now - lastRateNanos > 1_000_000_000L) {
        reporter.summary((done - doneAtLastRate) / ((now - lastRateNanos) / 1e9), Map.of());
        lastRateNanos = now;
        doneAtLastRate = done;
      }
    }
  }

  private void report(DatasetCollection.Result r) {
    PrintWriter out = spec.commandLine().getOut();
    out.printf(
        Locale.ROOT,
        "wrote %s: %d rows, %d episodes of %s on %s, mean return per episode %.1f%ncontent"
            + " sha256 %s%n",
        r.file(),
        r.rows(),
        r.episodes(),
        r.behaviour(),
        task,
        r.meanEpisodeReturn(),
        r.contentSha256());
    r.facts().forEach((k, v) -> out.printf(Locale.ROOT, "%s: %s%n", k, v));
    out.flush();
  }
}
