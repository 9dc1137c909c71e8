package io.dtql.agent.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * DTQL's one-step policy: an MLP state -> 3 x (hidden, ReLU) -> 2 * actDim (orthogonal weights,
 * zero biases) whose output splits into the mean and log-std of a diagonal Gaussian; actions are
 * tanh-squashed and scaled to [-maxAction, maxAction].
 */
public final class GaussianActor {
  /** log-std is clamped to this range, as in the reference. */
  public static final float LOG_STD_MIN = -5f;

  public static final float LOG_STD_MAX = 2f;

  /** Margin in atanh(a / (maxAction + margin)) so dataset actions at the bound stay finite. */
  public static final float ATANH_MARGIN = 1e-3f;

  private static final double HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

  /** The two heads of the policy for a batch: mean and clamped log-std, both (B, actDim). */
  public record Heads(NDArray mean, NDArray logStd) {}

  private final Mlp mlp;
  private final int actDim;
  private final float maxAction;

  private GaussianActor(Mlp mlp, int actDim, float maxAction) {
    this.mlp = mlp;
    this.actDim = actDim;
    this.maxAction = maxAction;
  }

  private static Mlp.Spec spec(int obsDim, int actDim, int hidden) {
    return Mlp.Spec.threeHidden(
        obsDim, hidden, 2 * actDim, Mlp.Act.RELU, false, Mlp.Init.ORTHOGONAL);
  }

  /** Scalars in the policy network. */
  public static long parameterCount(int obsDim, int actDim, int hidden) {
    return spec(obsDim, actDim, hidden).parameterCount();
  }

  public static GaussianActor create(
      ParameterStore store,
      String prefix,
      int obsDim,
      int actDim,
      int hidden,
      float maxAction,
      RandomGenerator rng) {
    Mlp mlp = Mlp.create(store, prefix, spec(obsDim, actDim, hidden), rng, true);
    return new GaussianActor(mlp, actDim, maxAction);
  }

  /**
   * A policy network that only acts: its tensors are taken from the store's saved state (never
   * initialised, so no random generator is needed) and record no gradients.
   */
  public static GaussianActor restoreFrozen(
      ParameterStore store, String prefix, int obsDim, int actDim, int hidden, float maxAction) {
    Mlp mlp = Mlp.create(store, prefix, spec(obsDim, actDim, hidden), null, false);
    return new GaussianActor(mlp, actDim, maxAction);
  }

  /** Mean and clamped log-std for states (B, obsDim). */
  public Heads heads(NDArray states) {
    NDList parts = mlp.forward(states).split(new long[] {actDim}, 1);
    return new Heads(parts.get(0), parts.get(1).clip(LOG_STD_MIN, LOG_STD_MAX));
  }

  /**
   * Reparameterised sample: tanh(mean + std * eps) * maxAction, clamped to the bound; eps is
   * standard normal noise (B, actDim) drawn by the caller.
   *
   * <p>maxAction enters the graph as a tensor in eps's manager, which the caller keeps open until
   * backward: DJL's {@code mul(Number)} frees its scalar while autograd still needs it (see
   * DtqlLosses#actorObjective).
   */
  public NDArray sample(Heads h, NDArray eps) {
    NDArray scale = eps.getManager().create(maxAction);
    return h.mean.add(h.logStd.exp().mul(eps)).tanh().mul(scale).clip(-maxAction, maxAction);
  }

  /** The deterministic action tanh(mean) * maxAction. */
  public NDArray meanAction(Heads h) {
    return h.mean.tanh().mul(maxAction);
  }

  /**
   * log pi(a|s) as the reference computes it: the Normal log-density of u = atanh(a / (maxAction +
   * 1e-3)), summed over action dimensions, WITHOUT the tanh change-of-variables term (the term
   * depends only on the data action, so it does not change the policy gradient). Returns (B).
   *
   * @param preTanh u for each dataset action (B, actDim), see {@link #preTanh}
   */
  public NDArray logProb(Heads h, NDArray preTanh) {
    NDArray z = preTanh.sub(h.mean).mul(h.logStd.neg().exp()); // (B, actDim)
    // -1/2 as a tensor that lives as long as preTanh's manager (not mul(Number), see sample).
    NDArray minusHalf = preTanh.getManager().create(-0.5f);
    return z.square().mul(minusHalf).sub(h.logStd).sub(HALF_LOG_TWO_PI).sum(new int[] {1});
  }

  /**
   * u = atanh(a / (maxAction + 1e-3)) of dataset actions, computed in Java (no gradient). Actions
   * are first clamped to the bound, so a dataset value a hair outside it stays finite.
   */
  public float[] preTanh(float[] actions) {
    float[] u = new float[actions.length];
    double scale = maxAction + ATANH_MARGIN;
    for (int i = 0; i < u.length; i++) {
      double x = Math.max(-maxAction, Math.min(maxAction, actions[i])) / scale;
      u[i] = (float) (0.5 * Math.log((1 + x) / (1 - x)));
    }
    return u;
  }

  public List<NDArray> parameters() {
    return mlp.parameters();
  }

  public long macsPerRow() {
    return mlp.macsPerRow();
  }
}
