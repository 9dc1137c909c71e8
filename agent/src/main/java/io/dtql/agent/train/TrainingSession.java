package io.dtql.agent.train;

import ai.djl.Device;
import io.dtql.agent.checkpoint.CheckpointFile;
import io.dtql.agent.checkpoint.CheckpointStore;
import io.dtql.agent.data.Transitions;
import io.dtql.agent.dtql.DtqlConfig;
import io.dtql.agent.dtql.ProblemShape;
import io.dtql.agent.dtql.TrainableAgent;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Puts one run together: builds or restores the agent, positions the batch sampler (fresh from the
 * seed, or where the checkpoint left it), continues the wall-clock count from the checkpoint, opens
 * the metrics files (and TensorBoard's), runs the loop (saving checkpoints with the run's
 * retention) and closes everything in reverse order.
 */
public final class TrainingSession {
  /**
   * Everything a session needs.
   *
   * @param config the resolved configuration (for a resume, equal to the checkpoint's)
   * @param shape the problem shape the agent is built for
   * @param transitions the training data, reward shift already applied
   * @param run the run directory to write into
   * @param resumeFrom the checkpoint to continue from, if any
   * @param device where the agent's tensors live
   * @param outputs checkpoint, retention and logging settings
   * @param progress opens the reporter that shows progress (the caller picks the display)
   * @param timeLimit wall time after which this process stops training with a checkpoint (see
   *     {@link LoopSettings#timeLimit}); empty for none
   */
  public record Plan(
      DtqlConfig config,
      ProblemShape shape,
      Transitions transitions,
      RunDirectory run,
      Optional<CheckpointFile> resumeFrom,
      Device device,
      OutputSettings outputs,
      ProgressReporter.Factory progress,
      Optional<Duration> timeLimit) {
    public Plan {
      if (transitions.obsDim() != shape.obsDim() || transitions.actDim() != shape.actDim()) {
        throw new IllegalArgumentException(
            "dataset has obs/act dims "
                + transitions.obsDim()
                + "/"
                + transitions.actDim()
                + " but the run expects "
                + shape.obsDim()
                + "/"
                + shape.actDim());
      }
      Objects.requireNonNull(timeLimit, "timeLimit");
    }

    /** A plan without a time limit. */
    public Plan(
        DtqlConfig config,
        ProblemShape shape,
        Transitions transitions,
        RunDirectory run,
        Optional<CheckpointFile> resumeFrom,
        Device device,
        OutputSettings outputs,
        ProgressReporter.Factory progress) {
      this(
          config, shape, transitions, run, resumeFrom, device, outputs, progress, Optional.empty());
    }
  }

  private TrainingSession() {}

  public static TrainingOutcome run(Plan plan, AgentFactory agents, StopSignal stop)
      throws IOException {
    return run(plan, agents, stop, ScheduledCallback.none());
  }

  /**
   * As {@link #run(Plan, AgentFactory, StopSignal)}, calling {@code callback} on its schedule (see
   * {@link TrainingLoop}).
   */
  public static TrainingOutcome run(
      Plan plan, AgentFactory agents, StopSignal stop, ScheduledCallback callback)
      throws IOException {
    DtqlConfig config = plan.config();
    long resumedStep = plan.resumeFrom().map(CheckpointFile::step).orElse(0L);
    SplitMix64 random =
        plan.resumeFrom()
            .map(checkpoint -> new SplitMix64(checkpoint.samplerState()))
            .orElseGet(() -> SplitMix64.forSeed(config.seed()));
    BatchSampler sampler = new BatchSampler(plan.transitions(), config.batchSize(), random);
    double secondsBefore = plan.resumeFrom().map(CheckpointFile::trainingSeconds).orElse(0.0);
    LoopSettings settings =
        new LoopSettings(
            config.endStep(),
            plan.outputs().checkpointEvery(),
            plan.outputs().logEvery(),
            plan.timeLimit());
    CheckpointStore checkpoints =
        plan.run().checkpoints().keeping(plan.outputs().keepCheckpoints());
    try (TrainableAgent agent = newAgent(plan, agents);
        MetricsSink metrics = openMetrics(plan, resumedStep);
        ProgressReporter progress =
            plan.progress().open("train", "step", resumedStep, config.endStep())) {
      if (agent.step() != resumedStep) {
        throw new IllegalStateException(
            "restored agent is at step " + agent.step() + ", the checkpoint at " + resumedStep);
      }
      TrainingLoop loop =
          new TrainingLoop(
              agent,
              sampler,
              settings,
              (state, samplerState, seconds) ->
                  checkpoints.save(
                      new CheckpointFile(config, plan.shape(), state, samplerState, seconds)),
              metrics,
              progress,
              stop,
              callback,
              secondsBefore);
      return loop.run();
    }
  }

  private static TrainableAgent newAgent(Plan plan, AgentFactory agents) {
    return plan.resumeFrom()
        .map(c -> agents.restore(plan.config(), plan.shape(), c.agentState(), plan.device()))
        .orElseGet(() -> agents.create(plan.config(), plan.shape(), plan.device()));
  }

  private static MetricsSink openMetrics(Plan plan, long resumedStep) throws IOException {
    List<MetricsSink> sinks = new ArrayList<>();
    try {
      sinks.add(JsonlMetricsWriter.open(plan.run().metricsJsonl(), resumedStep));
      if (plan.outputs().writeCsv()) {
        sinks.add(CsvMetricsWriter.open(plan.run().metricsCsv(), resumedStep));
      }
      if (plan.outputs().writeTensorBoard()) {
        sinks.add(TensorBoardWriter.open(plan.run().tensorBoard(), resumedStep));
      }
    } catch (IOException | RuntimeException e) {
      try {
        MetricsSink.all(sinks).close(); // the files opened so far
      } catch (IOException closing) {
        e.addSuppressed(closing);
      }
      throw e;
    }
    return MetricsSink.all(sinks);
  }
}
