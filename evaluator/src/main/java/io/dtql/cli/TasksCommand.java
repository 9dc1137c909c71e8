package io.dtql.cli;

import io.dtql.envbridge.TaskSpec;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code dtql tasks}: what a simulator server hosts. */
@Command(
    name = "tasks",
    mixinStandardHelpOptions = true,
    description = "List the tasks a simulator server hosts, with their specs.")
final class TasksCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin SimulatorOptions simulator;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try (SimulatorOptions.Simulator sim = simulator.open()) {
      out.printf(
          Locale.ROOT,
          "server %s, protocol %d.%d%n",
          sim.client().serverInfo().serverName(),
          sim.client().serverInfo().protocolMajor(),
          sim.client().serverInfo().protocolMinor());
      out.printf(
          Locale.ROOT,
          "%-14s %-16s %5s %5s %9s %8s  %s%n",
          "task",
          "env",
          "obs",
          "act",
          "max steps",
          "dt",
          "simulator");
      for (TaskSpec t : sim.client().listTasks()) {
        out.printf(
            Locale.ROOT,
            "%-14s %-16s %5s %5s %9d %8.4f  %s %s%n",
            t.taskId(),
            t.envId(),
            Arrays.toString(t.observation().shape()),
            Arrays.toString(t.action().shape()),
            t.maxEpisodeSteps(),
            t.controlTimestep(),
            t.simulator(),
            t.simulatorVersion());
      }
    }
    out.flush();
    return 0;
  }
}
