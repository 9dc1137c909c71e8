package io.dtql.agent.dtql;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import io.dtql.agent.nn.GaussianActor;
import io.dtql.agent.nn.ParameterStore;
import io.dtql.agent.nn.TwinQ;
import java.util.random.RandomGenerator;

/**
 * A trained DTQL agent reduced to what acting needs: the one-step policy and the target critic that
 * ranks its candidate actions. Restored from a checkpoint's agent state without the critic, value
 * and behaviour networks or any optimiser state, so an evaluation holds about a quarter of the
 * agent's memory and cannot change it. Acts exactly as {@link DtqlAgent#selectActions} does.
 *
 * <p>Not thread-safe: callers serialise calls (one native forward pass at a time).
 */
public final class OneStepPolicy implements ActionSelector, AutoCloseable {
  private final ProblemShape shape;
  private final NDManager root;
  private final CandidateSelection selection;

  private OneStepPolicy(DtqlConfig config, ProblemShape shape, AgentState state, Device device) {
    if (state.tensors().isEmpty()) {
      throw new IllegalArgumentException("agent state holds no tensors to act with");
    }
    this.shape = shape;
    this.root = NDManager.newBaseManager(device);
    try {
      ParameterStore store = new ParameterStore(root, state.tensors());
      int obs = shape.obsDim();
      int act = shape.actDim();
      int hidden = config.hiddenDim();
      TwinQ targetCritic = TwinQ.restoreFrozen(store, DtqlAgent.TARGET_CRITIC, obs + act, hidden);
      GaussianActor actor =
          GaussianActor.restoreFrozen(store, DtqlAgent.ACTOR, obs, act, hidden, shape.maxAction());
      this.selection =
          new CandidateSelection(root, shape, actor, targetCritic, config.numCandidates());
    } catch (RuntimeException e) {
      root.close();
      throw e;
    }
  }

  /** The policy of an agent state (a checkpoint's), on the engine's default device. */
  public static OneStepPolicy restore(DtqlConfig config, ProblemShape shape, AgentState state) {
    return new OneStepPolicy(config, shape, state, Engine.getInstance().defaultDevice());
  }

  @Override
  public ProblemShape shape() {
    return shape;
  }

  @Override
  public float[] selectActions(
      float[] observations, int numStates, SelectionMode mode, RandomGenerator random) {
    return selection.select(observations, numStates, mode, random);
  }

  /** Native arrays the policy holds: constant across calls (selection frees its temporaries). */
  public int liveArrayCount() {
    return root.getManagedArrays().size();
  }

  @Override
  public void close() {
    root.close();
  }
}
