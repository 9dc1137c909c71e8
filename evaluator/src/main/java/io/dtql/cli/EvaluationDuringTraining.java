package io.dtql.cli;

import io.dtql.agent.dtql.ProblemShape;
import io.dtql.agent.preset.PresetRegistry;
import io.dtql.agent.train.EvaluationSettings;
import io.dtql.agent.train.ScheduledCallback;
import io.dtql.envbridge.NotFoundException;
import io.dtql.envbridge.TaskSpec;
import io.dtql.evaluator.DtqlPolicy;
import io.dtql.evaluator.TaskMismatchException;
import io.dtql.evaluator.TrainingEvaluation;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * The simulator a {@code train --eval-every} run evaluates on: opened (and the preset's task
 * checked against the run's shape) before any data is loaded, kept for the whole run, closed after.
 * A run without evaluation opens nothing.
 */
final class EvaluationDuringTraining implements AutoCloseable {
  private static final EvaluationDuringTraining NONE =
      new EvaluationDuringTraining(null, null, EvaluationSettings.OFF);

  private final SimulatorOptions.Simulator simulator;
  private final String taskId;
  private final EvaluationSettings settings;

  private EvaluationDuringTraining(
      SimulatorOptions.Simulator simulator, String taskId, EvaluationSettings settings) {
    this.simulator = simulator;
    this.taskId = taskId;
    this.settings = settings;
  }

  /**
   * Opens the simulator for {@code settings} (nothing when evaluation is off). A preset that names
   * no task, a task the simulator does not host or whose sizes differ from {@code shape} is a usage
   * error of {@code command}.
   */
  static EvaluationDuringTraining open(
      EvaluationSettings settings,
      SimulatorOptions options,
      String preset,
      ProblemShape shape,
      CommandSpec command) {
    if (!settings.enabled()) {
      return NONE;
    }
    PresetRegistry presets = PresetRegistry.bundled();
    if (!presets.names().contains(preset)) {
      throw usage(command, "preset '" + preset + "' names no task to evaluate on");
    }
    String taskId = presets.load(preset).task();
    SimulatorOptions.Simulator simulator = options.open();
    try {
      TaskSpec task = simulator.client().describeTask(taskId);
      DtqlPolicy.requireFits("preset " + preset, shape, task);
      return new EvaluationDuringTraining(simulator, taskId, settings);
    } catch (NotFoundException | TaskMismatchException e) {
      simulator.close();
      throw usage(command, "--eval-every: task " + taskId + ": " + e.getMessage());
    } catch (RuntimeException e) {
      simulator.close();
      throw e;
    }
  }

  /** When and how the run evaluates: the callback the training loop calls. */
  ScheduledCallback schedule(long runSeed) {
    if (simulator == null) {
      return ScheduledCallback.none();
    }
    return new ScheduledCallback(
        settings.every(),
        new TrainingEvaluation(simulator.client(), taskId, settings.episodes(), runSeed));
  }

  private static ParameterException usage(CommandSpec command, String message) {
    return new ParameterException(command.commandLine(), message);
  }

  @Override
  public void close() {
    if (simulator != null) {
      simulator.close();
    }
  }
}
