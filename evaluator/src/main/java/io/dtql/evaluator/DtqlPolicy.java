package io.dtql.evaluator;

import io.dtql.agent.checkpoint.CheckpointException;
import io.dtql.agent.checkpoint.CheckpointFile;
import io.dtql.agent.checkpoint.CheckpointStore;
import io.dtql.agent.dtql.ActionSelector;
import io.dtql.agent.dtql.OneStepPolicy;
import io.dtql.agent.dtql.ProblemShape;
import io.dtql.agent.dtql.SelectionMode;
import io.dtql.envbridge.TaskSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.random.RandomGenerator;

/**
 * A DTQL agent acting through its one-step policy: the inference-only policy of a checkpoint (which
 * this policy owns and closes), or the agent of a run still training (which it only borrows).
 *
 * <p>Each state is a call of its own, with its episode's random stream: the native kernels then see
 * the same shapes and inputs whichever episodes run together, so an episode's actions are the same
 * to the bit for any number of parallel environments (on one machine and thread count). The
 * candidate scoring dominates the cost (1024 candidates per state), so batching states would save
 * little.
 */
public final class DtqlPolicy implements Policy {
  private final ActionSelector selector;
  private final SelectionMode mode;
  private final String name;
  private final Runnable release;

  private DtqlPolicy(ActionSelector selector, SelectionMode mode, long step, Runnable release) {
    this.selector = selector;
    this.mode = mode;
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
   * The inference-only policy of {@code checkpoint} (actor and target critic; no optimiser state)
   * for {@code task}, refusing a task whose observation or action size differs from what the agent
   * was trained on.
   */
  public static DtqlPolicy restore(CheckpointFile checkpoint, TaskSpec task, SelectionMode mode) {
    requireFits(checkpoint, task);
    OneStepPolicy policy =
        OneStepPolicy.restore(checkpoint.config(), checkpoint.shape(), checkpoint.agentState());
    return new DtqlPolicy(policy, mode, checkpoint.step(), policy::close);
  }

  /**
   * Acts with the agent of a run in training, at {@code step}; the random draws come from the
   * episodes' streams, never from a stream the run trains with. Closing the policy leaves the agent
   * open: the run owns it.
   */
  public static DtqlPolicy borrowing(
      ActionSelector agent, TaskSpec task, SelectionMode mode, long step) {
    requireFits("the agent in training", agent.shape(), task);
    return new DtqlPolicy(agent, mode, step, () -> {});
  }

  @Override
  public float[] act(double[] observations, RandomGenerator[] streams) {
    int obs = selector.shape().obsDim();
    int act = selector.shape().actDim();
    float[] actions = new float[streams.length * act];
    float[] state = new float[obs];
    for (int row = 0; row < streams.length; row++) {
      for (int i = 0; i < obs; i++) {
        state[i] = (float) observations[row * obs + i];
      }
      float[] action = selector.selectActions(state, 1, mode, streams[row]);
      System.arraycopy(action, 0, actions, row * act, act);
    }
    return actions;
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
