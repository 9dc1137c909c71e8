package io.dtql.cli;

import io.dtql.agent.data.D4rlData;
import io.dtql.agent.data.D4rlDatasetWriter;
import io.dtql.agent.data.D4rlWriteOptions;
import io.dtql.envbridge.SessionOptions;
import io.dtql.envbridge.TaskSpec;
import io.dtql.evaluator.Policy;
import io.dtql.evaluator.collect.DatasetCollector;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Function;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dtql collect}: records a policy's experience as a D4RL-layout HDF5 dataset. */
@Command(
    name = "collect",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Record a policy's experience as a D4RL-layout .hdf5 dataset.",
      "The policy is a seeded random one or a DTQL checkpoint (--checkpoint); `dtql train` reads"
          + " the file, which is written atomically."
    })
final class CollectCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--task", paramLabel = "ID", description = "Task. Default: ${DEFAULT-VALUE}.")
  String task = "hopper";

  @Option(
      names = "--rows",
      paramLabel = "N",
      description = "Steps to record (at least). Default: ${DEFAULT-VALUE}.")
  int rows = 100_000;

  @Option(
      names = "--output",
      paramLabel = "FILE",
      required = true,
      description = "The .hdf5 file to write (replaced if it exists).")
  Path output;

  @Option(
      names = "--num-envs",
      description = "Environments stepped together. Default: ${DEFAULT-VALUE}.")
  int numEnvs = 16;

  @Option(
      names = "--seed",
      description = "Base seed; env i gets seed + i. Default: ${DEFAULT-VALUE}.")
  long seed = 0;

  @Mixin PolicyOptions policy;

  @Mixin SimulatorOptions simulator;

  @Override
  public Integer call() {
    Usage.require(rows >= 2, spec, "--rows must be >= 2, got " + rows);
    Usage.require(numEnvs >= 1, spec, "--num-envs must be >= 1, got " + numEnvs);
    Usage.requireFileTarget(spec, "--output", output);
    Function<TaskSpec, Policy> policyFor = policy.policyFor(seed);
    DatasetCollector.Collected collected;
    try (SimulatorOptions.Simulator sim = simulator.open()) {
      policy.requireTasksFit(sim.client(), List.of(task));
      collected = collect(sim, policyFor);
    }
    D4rlData data = collected.data();
    try {
      D4rlDatasetWriter.write(output, data, D4rlWriteOptions.defaults());
    } catch (IOException e) {
      throw new UncheckedIOException("could not write " + output + ": " + e.getMessage(), e);
    }
    report(data, collected.policyName());
    return 0;
  }

  private DatasetCollector.Collected collect(
      SimulatorOptions.Simulator sim, Function<TaskSpec, Policy> policyFor) {
    try (ProgressBar bar =
        new ProgressBarBuilder()
            .setTaskName("collect " + task)
            .setInitialMax(rows)
            .setUnit(" rows", 1)
            .setStyle(ProgressBarStyle.ASCII)
            .build()) {
      return DatasetCollector.collect(
          sim.client(), task, SessionOptions.of(numEnvs, seed), policyFor, rows, bar::stepBy);
    }
  }

  private void report(D4rlData data, String policyName) {
    int n = data.rewards().length;
    int episodes = 0;
    double total = 0;
    for (int i = 0; i < n; i++) {
      total += data.rewards()[i];
      if (data.terminals()[i] || data.timeouts()[i]) {
        episodes++;
      }
    }
    PrintWriter out = spec.commandLine().getOut();
    out.printf(
        Locale.ROOT,
        "wrote %s: %d rows, %d episodes of %s on %s, mean return per episode %.1f%n",
        output,
        n,
        episodes,
        policyName,
        task,
        episodes == 0 ? Double.NaN : total / episodes);
    out.flush();
  }
}
