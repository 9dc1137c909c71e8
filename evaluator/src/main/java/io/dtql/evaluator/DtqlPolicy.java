package io.dtql.evaluator;

import io.dtql.agent.checkpoint.CheckpointException;
import io.dtql.agent.checkpoint.CheckpointFile;
import io.dtql.agent.checkpoint.CheckpointStore;
import io.dtql.agent.dtql.ActionSelector;
import io.dtql.agent.dtql.DtqlAgent;
import io.dtql.agent.dtql.ProblemShape;
import io.dtql.agent.dtql.SelectionMode;
import io.dtql.envbridge.TaskSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.random.RandomGenerator;

/**
 * A DTQL agent acting through its one-step policy for every running environment in one batched
 * call: one restored from a checkpoint (which the policy owns and closes), or the agent of a run
 * still training (which it only borrows).
 */
public final class DtqlPolicy implements Policy {
  /** Batched action selection with the mode and random stream already chosen. */
  @FunctionalInterface
  private interface Actions {
    float[] select(float[] states, int numStates);
  }

  private final Actions actions;
  private final String name;
  private final Runnable release;

  private DtqlPolicy(Actions actions, SelectionMode mode, long step, Runnable release) {
    this.actions = actions;
    this.name = "dtql@" + step + (mode == SelectionMode.DETERMINISTIC ? "/det" : "");
    this.release = release;
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
    requireFits("checkpoint of preset " + checkpoint.config().preset(), checkpoint.shape(), task);
  }

  /**
   * Refuses a task whose observation or action size differs from {@code shape}, the shape an agent
   * is (or was) trained on; {@code agent} names it in the message, e.g. "checkpoint of preset X".
   */
  public static void requireFits(String agent, ProblemShape shape, TaskSpec task) {
    if (shape.obsDim() != task.obsDim() || shape.actDim() != task.actDim()) {
      throw new TaskMismatchException(
          String.format(
              "%s was trained on obs %d / act %d but task %s has obs %d / act %d",
              agent, shape.obsDim(), shape.actDim(), task.taskId(), task.obsDim(), task.actDim()));
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
    return new DtqlPolicy(
        (states, n) -> agent.selectActions(states, n, mode), mode, checkpoint.step(), agent::close);
  }

  /**
   * Acts with the agent of a run in training, at {@code step}, drawing every random choice from
   * {@code random} (never from a stream the run trains with). Closing the policy leaves the agent
   * open: the run owns it.
   */
  public static DtqlPolicy borrowing(
      ActionSelector agent, TaskSpec task, SelectionMode mode, RandomGenerator random, long step) {
    requireFits("the agent in training", agent.shape(), task);
    return new DtqlPolicy(
        (states, n) -> agent.selectActions(states, n, mode, random), mode, step, () -> {});
  }

  @Override
  public float[] act(double[] observations, int numStates) {
    float[] states = new float[observations.length];
    for (int i = 0; i < states.length; i++) {
      states[i] = (float) observations[i];
    }
    return actions.select(states, numStates);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void close() {
    release.run();
  }
}
