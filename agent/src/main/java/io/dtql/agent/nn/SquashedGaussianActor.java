package io.dtql.agent.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Activation;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * SAC's policy: an MLP state -> 2 x (hidden, ReLU) -> 2 * actDim (PyTorch's default init) whose
 * output splits into the mean and log-std of a diagonal Gaussian over u; the action is tanh(u) *
 * maxAction and its log-density includes the tanh change of variables.
 */
public final class SquashedGaussianActor {
  /** log-std is clamped to this range (the bounds of the original SAC code). */
  public static final float LOG_STD_MIN = -20f;

  public static final float LOG_STD_MAX = 2f;

  private static final double HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);
  private static final double LOG_TWO = Math.log(2);

  /** Mean and clamped log-std for a batch, both (B, actDim). */
  public record Heads(NDArray mean, NDArray logStd) {}

  /** A reparameterised action (B, actDim) and its log-probability (B, 1). */
  public record Sample(NDArray action, NDArray logProb) {}

  private final Mlp mlp;
  private final int actDim;
  private final float maxAction;

  private SquashedGaussianActor(Mlp mlp, int actDim, float maxAction) {
    this.mlp = mlp;
    this.actDim = actDim;
    this.maxAction = maxAction;
  }

  /** The network's layer widths: obs -> hidden -> hidden -> 2 * act. */
  public static Mlp.Spec spec(int obsDim, int actDim, int hidden) {
    return new Mlp.Spec(
        new int[] {obsDim, hidden, hidden, 2 * actDim},
        new Mlp.Act[] {Mlp.Act.RELU, Mlp.Act.RELU},
        false,
        Mlp.Init.PYTORCH_DEFAULT);
  }

  public static SquashedGaussianActor create(
      ParameterStore store,
      String prefix,
      int obsDim,
      int actDim,
      int hidden,
      float maxAction,
      RandomGenerator rng) {
    Mlp mlp = Mlp.create(store, prefix, spec(obsDim, actDim, hidden), rng, true);
    return new SquashedGaussianActor(mlp, actDim, maxAction);
  }

  /** Heads recording gradients into the actor's parameters. */
  public Heads heads(NDArray states) {
    return split(mlp.forward(states));
  }

  /** Heads of a pass that records no graph (acting, critic targets). */
  public Heads headsConstant(NDArray states) {
    return split(mlp.forwardConstant(states));
  }

  private Heads split(NDArray out) {
    NDList parts = out.split(new long[] {actDim}, 1);
    return new Heads(parts.get(0), parts.get(1).clip(LOG_STD_MIN, LOG_STD_MAX));
  }

  /**
   * a = tanh(u) * maxAction with u = mean + std * eps, and log pi(a|s) = sum over dimensions of log
   * N(u; mean, std) - log(maxAction * (1 - tanh(u)^2)). The Jacobian term is written as 2 * (log 2
   * - u - softplus(-2u)), which stays finite where tanh saturates.
   *
   * <p>Constants enter the graph as tensors in {@code sm}, which the caller keeps open until
   * backward: DJL's {@code mul(Number)} frees its scalar before autograd reads it.
   *
   * @param eps standard normal noise (B, actDim)
   */
  public Sample sample(Heads h, NDArray eps, NDManager sm) {
    NDArray u = h.mean.add(h.logStd.exp().mul(eps));
    NDArray minusHalf = sm.create(-0.5f);
    NDArray gaussian = eps.square().mul(minusHalf).sub(h.logStd).sub(HALF_LOG_TWO_PI);
    NDArray minusTwo = sm.create(-2f);
    NDArray logJacobian =
        Activation.softPlus(u.mul(minusTwo)).add(u).neg().add(LOG_TWO).mul(sm.create(2f));
    NDArray logProb =
        gaussian.sub(logJacobian).sum(new int[] {1}, true).sub(actDim * Math.log(maxAction));
    NDArray action = u.tanh().mul(sm.create(maxAction));
    return new Sample(action, logProb);
  }

  /** The deterministic action tanh(mean) * maxAction. */
  public NDArray meanAction(Heads h) {
    return h.mean.tanh().mul(maxAction);
  }

  public List<NDArray> parameters() {
    return mlp.parameters();
  }

  public int actDim() {
    return actDim;
  }

  public float maxAction() {
    return maxAction;
  }
}
