package io.dtql.agent.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * A pair of Q networks on concat(s, a) with a scalar output each. DTQL's critic has three hidden
 * layers Linear -> LayerNorm -> Mish ({@link #create(ParameterStore, String, int, int,
 * RandomGenerator)}); SAC's has two ReLU layers (built from its own {@link Mlp.Spec}).
 */
public final class TwinQ {
  private final Mlp q1;
  private final Mlp q2;
  private final List<NDArray> parameters;

  private TwinQ(Mlp q1, Mlp q2) {
    this.q1 = q1;
    this.q2 = q2;
    List<NDArray> p = new ArrayList<>(q1.parameters());
    p.addAll(q2.parameters());
    this.parameters = List.copyOf(p);
  }

  private static Mlp.Spec spec(int inDim, int hidden) {
    return Mlp.Spec.threeHidden(inDim, hidden, 1, Mlp.Act.MISH, true, Mlp.Init.PYTORCH_DEFAULT);
  }

  /** Scalars in both Q networks. */
  public static long parameterCount(int inDim, int hidden) {
    return 2 * spec(inDim, hidden).parameterCount();
  }

  /** DTQL's critic. */
  public static TwinQ create(
      ParameterStore store, String prefix, int inDim, int hidden, RandomGenerator rng) {
    return create(store, prefix, spec(inDim, hidden), rng);
  }

  /** Two networks of the given spec (output width 1), drawn one after the other from rng. */
  public static TwinQ create(
      ParameterStore store, String prefix, Mlp.Spec spec, RandomGenerator rng) {
    Mlp q1 = Mlp.create(store, prefix + "/q1", spec, rng, true);
    Mlp q2 = Mlp.create(store, prefix + "/q2", spec, rng, true);
    return new TwinQ(q1, q2);
  }

  /** A non-trainable copy (target critic), initialised from {@code source} or the saved state. */
  public static TwinQ copyOf(ParameterStore store, String prefix, TwinQ source) {
    return new TwinQ(
        Mlp.copyOf(store, prefix + "/q1", source.q1), Mlp.copyOf(store, prefix + "/q2", source.q2));
  }

  /**
   * DTQL's critic restored from the store's saved state for scoring only (a target critic at
   * evaluation): no initialiser runs, no gradients are recorded.
   */
  public static TwinQ restoreFrozen(ParameterStore store, String prefix, int inDim, int hidden) {
    Mlp.Spec spec = spec(inDim, hidden);
    return new TwinQ(
        Mlp.create(store, prefix + "/q1", spec, null, false),
        Mlp.create(store, prefix + "/q2", spec, null, false));
  }

  /** Q1(sa), Q2(sa), each (B, 1), recording gradients into the parameters. */
  public NDList forward(NDArray stateActions) {
    return new NDList(q1.forward(stateActions), q2.forward(stateActions));
  }

  /** min(Q1, Q2) (B, 1) through detached views: gradients reach the actions only. */
  public NDArray minFrozen(NDArray stateActions) {
    return q1.forwardFrozen(stateActions).minimum(q2.forwardFrozen(stateActions));
  }

  /** min(Q1, Q2) (B, 1) for inputs without gradient (scoring candidate actions). */
  public NDArray minConstant(NDArray stateActions) {
    return q1.forwardConstant(stateActions).minimum(q2.forwardConstant(stateActions));
  }

  public List<NDArray> parameters() {
    return parameters;
  }

  public long macsPerRow() {
    return q1.macsPerRow() + q2.macsPerRow();
  }
}
