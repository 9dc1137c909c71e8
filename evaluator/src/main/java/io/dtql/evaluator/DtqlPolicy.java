package io.dtql.evaluator;

import io.dtql.agent.checkpoint.CheckpointException;
import io.dtql.agent.checkpoint.CheckpointFile;
import io.dtql.agent.checkpoint.CheckpointStore;
import io.dtql.agent.dtql.DtqlAgent;
import io.dtql.agent.dtql.SelectionMode;
import io.dtql.envbridge.TaskSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * A trained DTQL agent restored from a checkpoint, acting through its one-step policy for every
 * running environment in one batched call.
 */
public final class DtqlPolicy implements Policy {
  private final DtqlAgent agent;
  private final SelectionMode mode;
  private final long step;

  private DtqlPolicy(DtqlAgent agent, SelectionMode mode, long step) {
    this.agent = agent;
    this.mode = mode;
    this.step = step;
  }

  /** The checkpoint a path names: a checkpoint file, a run directory or its checkpoints dir. */
  public static CheckpointFile readCheckpoint(Path path) {
    try {
      return CheckpointFile.read(CheckpointStore.resolveResumeTarget(path));
    } catch (CheckpointException e) {
      throw new UncheckedIOException(e.getMessage(), e); // names the file and the problem
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read checkpoint " + path + ": " + e.getMessage(), e);
    }
  }

  /** Refuses a task whose observation or action size differs from the checkpoint's. */
  public static void requireFits(CheckpointFile checkpoint, TaskSpec task) {
    var shape = checkpoint.shape();
    if (shape.obsDim() != task.obsDim() || shape.actDim() != task.actDim()) {
      throw new TaskMismatchException(
          String.format(
              "checkpoint of preset %s was trained on obs %d / act %d but task %s has obs %d / act %d",
              checkpoint.config().preset(),
              shape.obsDim(),
              shape.actDim(),
              task.taskId(),
              task.obsDim(),
              task.actDim()));
    }
  }

  /**
   * Restores the agent of {@code checkpoint} for {@code task}, refusing a task whose observation or
   * action size differs from what the agent was trained on.
   */
  public static DtqlPolicy restore(CheckpointFile checkpoint, TaskSpec task, SelectionMode mode) {
    requireFits(checkpoint, task);
    var shape = checkpoint.shape();
    DtqlAgent agent = DtqlAgent.restore(checkpoint.config(), shape, checkpoint.agentState());
    return new DtqlPolicy(agent, mode, checkpoint.step());
  }

  @Override
  public float[] act(double[] observations, int numStates) {
    float[] states = new float[observations.length];
    for (int i = 0; i < states.length; i++) {
      states[i] = (float) observations[i];
    }
    return agent.selectActions(states, numStates, mode);
  }

  @Override
  public String name() {
    return "dtql@" + step + (mode == SelectionMode.DETERMINISTIC ? "/det" : "");
  }

  @Override
  public void close() {
    agent.close();
  }
}
