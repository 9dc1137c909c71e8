package io.dtql.cli;

import io.dtql.agent.dtql.SelectionMode;
import io.dtql.envbridge.EnvClient;
import io.dtql.evaluator.DtqlPolicy;
import io.dtql.evaluator.EvaluationOptions;
import io.dtql.evaluator.EvaluationSummary;
import io.dtql.evaluator.collect.DatasetCollection;
import io.dtql.evaluator.collect.DatasetKind;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code dtql quickstart}: the whole product end to end on an embedded default, in about a minute
 * on two cores. No dataset can be downloaded, so it makes its own: (1) starts a local simulator
 * server and collects a hopper dataset with a seeded random policy through the bridge, written as a
 * D4RL-layout file; (2) trains DTQL on it with the hopper-medium preset for a short run; (3)
 * evaluates the trained checkpoint and the random policy on hopper, walker2d and halfcheetah
 * baselines, and reports raw and D4RL-normalised returns with a plot. A short run on random data
 * shows the pipeline works; it is not a D4RL result (see the README for real datasets).
 */
@Command(
    name = "quickstart",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Run the end-to-end demo on an embedded default dataset.",
      "Collects a hopper dataset through the simulator, trains DTQL on it, evaluates the checkpoint"
          + " next to a random policy and reports (runs/quickstart/)."
    })
final class QuickstartCommand implements Callable<Integer> {
  static final String TASK = "hopper";
  static final List<String> BASELINE_TASKS = List.of("hopper", "walker2d", "halfcheetah");

  @Spec CommandSpec spec;

  @Option(names = "--rows", description = "Dataset rows to collect. Default: ${DEFAULT-VALUE}.")
  int rows = 20_000;

  @Option(
      names = "--steps",
      description =
          "DTQL training steps after the preset's 5% of pretraining. Default: ${DEFAULT-VALUE}.")
  int steps = 1_000;

  @Option(
      names = "--episodes",
      description = "Evaluation episodes per task. Default: ${DEFAULT-VALUE}.")
  int episodes = 5;

  @Option(names = "--seed", description = "Base seed. Default: ${DEFAULT-VALUE}.")
  long seed = 0;

  @Option(
      names = "--output-dir",
      description = "Where the dataset, run and report go. Default: ${DEFAULT-VALUE}.")
  Path outputDir = Path.of("runs", "quickstart");

  @Mixin SimulatorOptions simulator;

  @Override
  public Integer call() throws IOException {
    Usage.require(rows >= 1000, spec, "--rows must be >= 1000, got " + rows);
    Usage.require(steps >= 1, spec, "--steps must be >= 1, got " + steps);
    Usage.require(episodes >= 1, spec, "--episodes must be >= 1, got " + episodes);
    PrintWriter out = spec.commandLine().getOut();
    Path dataset = outputDir.resolve("hopper-random.hdf5");
    Path runs = outputDir.resolve("runs");
    EvaluationOptions evaluation = new EvaluationOptions(episodes, episodes, seed);
    try (SimulatorOptions.Simulator sim = simulator.open()) {
      out.println("== 1/3 collect " + rows + " rows of hopper with a random policy -> " + dataset);
      out.flush();
      collect(sim.client(), dataset);

      out.println("== 2/3 train DTQL (hopper-medium preset, " + steps + " training steps)");
      out.flush();
      TrainCommand train = new TrainCommand();
      // Parsed, then called directly: a failure propagates to this command's one error line.
      TrainCommand.commandLine(train)
          .parseArgs(
              "--dataset=" + dataset,
              "--preset=hopper-medium",
              "--steps=" + steps,
              "--seed=" + seed,
              "--checkpoint-every=0",
              "--log-every=" + Math.max(1, steps / 20),
              "--output-dir=" + runs);
      int trained = train.call();
      if (trained != 0) {
        throw new IllegalStateException("training stopped early with exit code " + trained);
      }
      Path run =
          train
              .runDirectory()
              .orElseThrow(() -> new IllegalStateException("training wrote no run under " + runs));

      out.println("== 3/3 evaluate the checkpoint and a random policy");
      out.flush();
      List<EvaluationSummary> summaries = new ArrayList<>();
      var checkpoint = DtqlPolicy.readCheckpoint(run);
      summaries.addAll(
          EvaluationRun.evaluateAll(
              sim.client(),
              List.of(TASK),
              task -> DtqlPolicy.restore(checkpoint, task, SelectionMode.REFERENCE),
              evaluation));
      summaries.addAll(
          EvaluationRun.evaluateAll(
              sim.client(), BASELINE_TASKS, PolicyOptions.random(), evaluation));
      EvaluationRun.report(
          summaries, out, outputDir.resolve("returns.png"), outputDir.resolve("summary.json"));
      out.println("run directory: " + run);
    }
    return 0;
  }

  private void collect(EnvClient client, Path dataset) throws IOException {
    DatasetCollection.run(
        client,
        new DatasetCollection.Request(TASK, DatasetKind.RANDOM, rows, 16, seed),
        null,
        dataset,
        n -> {});
  }
}
