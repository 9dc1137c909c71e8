package io.dtql.agent.train;

import io.dtql.agent.dtql.AgentState;
import io.dtql.agent.dtql.Batch;
import io.dtql.agent.dtql.StepMetrics;
import io.dtql.agent.dtql.TrainableAgent;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs gradient steps until the agent reaches the total: sample a batch, update, log every {@code
 * logEvery} steps, checkpoint every {@code checkpointEvery} steps and once more at the end. A stop
 * request ends the loop after the current step, with a checkpoint, so an interrupted run resumes
 * exactly where it stopped. A time limit ({@link LoopSettings#timeLimit}) ends it the same way once
 * that much wall time has passed since the loop started; unlike a stop, that is a planned end, so
 * the callback (if it has a schedule) runs at that last step too.
 *
 * <p>A logged row holds, for every metric, its mean over the steps since the previous row (each
 * metric over the steps that reported it): one step's loss is noise, the window's mean is the
 * trend. Constants such as learning rates read exactly as the agent reported them.
 *
 * <p>A {@link ScheduledCallback} runs at its steps after the update; its metrics join that step's
 * row. Its period must be a multiple of {@code logEvery}, so callback steps always have a row and
 * the rows (and their windows) are those of the same run without a callback. The time a callback
 * takes counts in {@code wall_time_s} (it is wall time) but not in {@code charts/steps_per_s} nor
 * in the progress bar's speed, which measure training alone.
 *
 * <p>Wall time is cumulative over a run's processes: the loop starts counting from the training
 * seconds of the checkpoint it resumed from, logs that total as {@code wall_time_s} and stores it
 * in every checkpoint it writes.
 */
public final class TrainingLoop {
  /** Saves the agent's state together with the sampler's generator state. */
  @FunctionalInterface
  public interface CheckpointWriter {
    Path save(AgentState state, long samplerState, double trainingSeconds) throws IOException;
  }

  private static final Logger LOG = LoggerFactory.getLogger(TrainingLoop.class);
  private static final long PROGRESS_INTERVAL_NANOS = 1_000_000_000L;

  private final TrainableAgent agent;
  private final BatchSampler sampler;
  private final LoopSettings settings;
  private final CheckpointWriter checkpoints;
  private final MetricsSink metrics;
  private final ProgressReporter progress;
  private final StopSignal stop;
  private final ScheduledCallback callback;
  private final double secondsBefore;
  private final LongSupplier nanoTime;

  public TrainingLoop(
      TrainableAgent agent,
      BatchSampler sampler,
      LoopSettings settings,
      CheckpointWriter checkpoints,
      MetricsSink metrics,
      ProgressReporter progress,
      StopSignal stop,
      ScheduledCallback callback,
      double secondsBefore) {
    this(
        agent,
        sampler,
        settings,
        checkpoints,
        metrics,
        progress,
        stop,
        callback,
        secondsBefore,
        System::nanoTime);
  }

  TrainingLoop(
      TrainableAgent agent,
      BatchSampler sampler,
      LoopSettings settings,
      CheckpointWriter checkpoints,
      MetricsSink metrics,
      ProgressReporter progress,
      StopSignal stop,
      ScheduledCallback callback,
      double secondsBefore,
      LongSupplier nanoTime) {
    if (!(secondsBefore >= 0) || !Double.isFinite(secondsBefore)) {
      throw new IllegalArgumentException(
          "seconds-before must be finite and >= 0, got " + secondsBefore);
    }
    if (callback.every() % settings.logEvery() != 0) {
      throw new IllegalArgumentException(
          "callback every "
              + callback.every()
              + " steps must be a multiple of log-every "
              + settings.logEvery()
              + ", so every callback step has a metrics row");
    }
    this.agent = agent;
    this.sampler = sampler;
    this.settings = settings;
    this.checkpoints = checkpoints;
    this.metrics = metrics;
    this.progress = progress;
    this.stop = stop;
    this.callback = callback;
    this.secondsBefore = secondsBefore;
    this.nanoTime = nanoTime;
  }

  public TrainingOutcome run() throws IOException {
    long startStep = agent.step();
    long total = settings.totalSteps();
    if (startStep >= total) {
      LOG.info("agent is already at step {} of {}; nothing to train", startStep, total);
      return new TrainingOutcome(startStep, false, Optional.empty());
    }
    LOG.info("training from step {} to {}", startStep, total);
    long startNanos = nanoTime.getAsLong();
    long windowStep = startStep;
    long windowNanos = startNanos;
    long shownStep = startStep;
    long shownNanos = startNanos;
    long savedStep = -1;
    long lastStepNanos = startNanos;
    long limitNanos = settings.timeLimit().map(Duration::toNanos).orElse(Long.MAX_VALUE);
    boolean timeUp = false;
    Optional<Path> lastCheckpoint = Optional.empty();
    MetricsWindow window = new MetricsWindow();
    while (agent.step() < total && !stop.isRequested() && !timeUp) {
      Batch batch = sampler.next();
      StepMetrics stepMetrics = agent.update(batch);
      window.add(stepMetrics.values());
      long step = agent.step();
      progress.stepTo(step);
      long now = nanoTime.getAsLong();
      lastStepNanos = now;
      timeUp = step < total && now - startNanos >= limitNanos;
      // The bar's message follows the clock, not the logging interval: at a few steps/s a
      // 1000-step interval would leave it stale for minutes.
      if (now - shownNanos >= PROGRESS_INTERVAL_NANOS) {
        progress.summary((step - shownStep) / ((now - shownNanos) / 1e9), stepMetrics.values());
        shownStep = step;
        shownNanos = now;
      }
      // A stopped run logs its last step too, so its metrics end where its checkpoint is.
      if (step % settings.logEvery() == 0 || step == total || stop.isRequested() || timeUp) {
        double seconds = Math.max(now - windowNanos, 1) / 1e9;
        double stepsPerSecond = (step - windowStep) / seconds;
        Map<String, Double> values = window.means();
        boolean due = callback.isDue(step, total) || (timeUp && callback.every() > 0);
        if (due && !stop.isRequested()) {
          values.putAll(callBack(step, values));
          long after = nanoTime.getAsLong();
          // Training speed leaves the callback out: both clocks resume after it.
          shownNanos += after - now;
          now = after;
          lastStepNanos = now;
        }
        metrics.record(new MetricsRow(step, secondsSince(startNanos, now), stepsPerSecond, values));
        window.clear();
        windowStep = step;
        windowNanos = now;
      }
      if (settings.checkpointEvery() > 0 && step % settings.checkpointEvery() == 0) {
        lastCheckpoint = Optional.of(save(step, secondsSince(startNanos, now)));
        savedStep = step;
      }
    }
    long finalStep = agent.step();
    boolean endedEarly = finalStep < total;
    boolean timeLimitReached = endedEarly && timeUp && !stop.isRequested();
    boolean stoppedEarly = endedEarly && !timeLimitReached;
    if (stoppedEarly) {
      LOG.info("stop requested: stopping at step {} of {}", finalStep, total);
    } else if (timeLimitReached) {
      LOG.info(
          "time limit {} reached: stopping at step {} of {}",
          settings.timeLimit().orElseThrow(),
          finalStep,
          total);
    }
    if (finalStep != savedStep && finalStep != startStep) {
      lastCheckpoint = Optional.of(save(finalStep, secondsSince(startNanos, lastStepNanos)));
    }
    return new TrainingOutcome(finalStep, stoppedEarly, lastCheckpoint, timeLimitReached);
  }

  /** The callback's metrics for {@code step}, refusing a name the agent's metrics already use. */
  private Map<String, Double> callBack(long step, Map<String, Double> agentMetrics) {
    Map<String, Double> extra = callback.callback().atStep(step, agent);
    if (agent.step() != step) {
      throw new IllegalStateException(
          "the callback at step " + step + " moved the agent to step " + agent.step());
    }
    for (String name : extra.keySet()) {
      if (agentMetrics.containsKey(name)) {
        throw new IllegalStateException(
            "callback metric '" + name + "' at step " + step + " clashes with the agent's");
      }
    }
    return extra;
  }

  /** Training seconds of the whole run at {@code now}: earlier processes' plus this one's. */
  private double secondsSince(long startNanos, long now) {
    return secondsBefore + (now - startNanos) / 1e9;
  }

  private Path save(long step, double trainingSeconds) throws IOException {
    AgentState state = agent.exportState();
    if (state.step() != step) {
      throw new IllegalStateException(
          "agent exported state of step " + state.step() + " while at step " + step);
    }
    Path file = checkpoints.save(state, sampler.randomState(), trainingSeconds);
    LOG.info("step {}: checkpoint {}", step, file);
    return file;
  }
}
