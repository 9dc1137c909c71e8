package io.dtql.agent.train.bench;

import ai.djl.Device;
import io.dtql.agent.checkpoint.CheckpointFile;
import io.dtql.agent.data.Transitions;
import io.dtql.agent.dtql.AgentState;
import io.dtql.agent.dtql.DtqlAgent;
import io.dtql.agent.dtql.DtqlConfig;
import io.dtql.agent.dtql.ProblemShape;
import io.dtql.agent.dtql.TrainableAgent;
import io.dtql.agent.preset.Preset;
import io.dtql.agent.preset.PresetRegistry;
import io.dtql.agent.train.AgentFactory;
import io.dtql.agent.train.OutputSettings;
import io.dtql.agent.train.ProgressReporter;
import io.dtql.agent.train.RunDirectory;
import io.dtql.agent.train.StopSignal;
import io.dtql.agent.train.TrainingOutcome;
import io.dtql.agent.train.TrainingSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * Not a test: full-size DTQL (a preset's networks and batch) trained through TrainingSession on
 * synthetic transitions, reporting steps/s and the cost of a full checkpoint write and read.
 * Arguments: [preset] [steps] (defaults hopper-medium 300).
 */
public final class TrainingThroughputBench {
  private TrainingThroughputBench() {}

  public static void main(String[] args) throws Exception {
    String presetName = args.length > 0 ? args[0] : "hopper-medium";
    long steps = args.length > 1 ? Long.parseLong(args[1]) : 300;
    Preset preset = PresetRegistry.bundled().load(presetName);
    // Pretraining ends half-way so both phases (with and without the actor) are timed.
    DtqlConfig config =
        preset.config(
            Map.of(
                "train-steps", Long.toString(steps), "pretrain-steps", Long.toString(steps / 2)));
    ProblemShape shape = preset.shape();
    AgentFactory dtql =
        new AgentFactory() {
          @Override
          public TrainableAgent create(DtqlConfig c, ProblemShape s, Device d) {
            return DtqlAgent.create(c, s);
          }

          @Override
          public TrainableAgent restore(DtqlConfig c, ProblemShape s, AgentState st, Device d) {
            return DtqlAgent.restore(c, s, st);
          }
        };
    Path output = Files.createTempDirectory("dtql-bench");
    RunDirectory run = RunDirectory.create(output, presetName, 0, LocalDateTime.now());
    TrainingSession.Plan plan =
        new TrainingSession.Plan(
            config,
            shape,
            syntheticTransitions(100_000, shape),
            run,
            Optional.empty(),
            Device.cpu(),
            new OutputSettings(0, 0, Math.max(1, steps / 10), false),
            ProgressReporter.Factory.none());
    long start = System.nanoTime();
    TrainingOutcome outcome = TrainingSession.run(plan, dtql, new StopSignal());
    double seconds = (System.nanoTime() - start) / 1e9;
    Path checkpoint = outcome.lastCheckpoint().orElseThrow();

    long readStart = System.nanoTime();
    CheckpointFile read = CheckpointFile.read(checkpoint);
    double readMs = (System.nanoTime() - readStart) / 1e6;
    Path copy = output.resolve("rewrite.ckpt");
    long writeStart = System.nanoTime();
    read.write(copy);
    double writeMs = (System.nanoTime() - writeStart) / 1e6;
    long floats =
        read.agentState().tensors().values().stream().mapToLong(t -> t.data().length).sum();

    System.out.printf(
        "%s: %d steps (batch %d) in %.1f s = %.1f steps/s including engine start-up%n",
        presetName,
        outcome.finalStep(),
        config.batchSize(),
        seconds,
        outcome.finalStep() / seconds);
    System.out.printf(
        "checkpoint: %d tensors, %d floats, %.1f MB; write %.0f ms (fsync + rename), read+verify"
            + " %.0f ms%n",
        read.agentState().tensors().size(), floats, Files.size(checkpoint) / 1e6, writeMs, readMs);
    System.out.println("metrics: " + run.metricsJsonl());
  }

  /** Unit-scale Gaussian states and in-bound actions, so the losses look like a real run's. */
  private static Transitions syntheticTransitions(int rows, ProblemShape shape) {
    Random random = new Random(0);
    float[] obs = gaussian(random, rows * shape.obsDim());
    float[] next = gaussian(random, rows * shape.obsDim());
    float[] act = gaussian(random, rows * shape.actDim());
    for (int i = 0; i < act.length; i++) {
      act[i] = (float) Math.tanh(act[i]) * shape.maxAction();
    }
    float[] rewards = gaussian(random, rows);
    float[] dones = new float[rows];
    for (int r = 0; r < rows; r++) {
      dones[r] = random.nextInt(1000) == 0 ? 1 : 0;
    }
    return Transitions.of(shape.obsDim(), shape.actDim(), obs, act, rewards, next, dones);
  }

  private static float[] gaussian(Random random, int n) {
    float[] values = new float[n];
    for (int i = 0; i < n; i++) {
      values[i] = (float) random.nextGaussian();
    }
    return values;
  }
}
