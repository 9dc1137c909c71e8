package io.dtql.agent.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The behaviour-cloning diffusion network F(c_in * x_noisy, s, t) of DTQL. The noise level enters
 * through a sinusoidal embedding followed by Linear(16, 32) -> Mish -> Linear(32, 16). The body is
 * Linear(in, hidden) with NO activation, then three Linear(hidden, hidden) -> Mish, then
 * Linear(hidden, actDim).
 *
 * <p>The missing activation after the first body layer is a quirk of the reference code (the first
 * two layers compose to one linear map); it is kept so the BC model, and hence the trust-region
 * loss it defines, has the reference's function class.
 */
public final class ScoreNetwork {
  private static final int TIME_HIDDEN = 32;

  private final Mlp timeMlp;
  private final Mlp body;
  private final List<NDArray> parameters;

  private ScoreNetwork(Mlp timeMlp, Mlp body) {
    this.timeMlp = timeMlp;
    this.body = body;
    List<NDArray> p = new ArrayList<>(timeMlp.parameters());
    p.addAll(body.parameters());
    this.parameters = List.copyOf(p);
  }

  private static Mlp.Spec timeSpec() {
    int e = SinusoidalEmbedding.WIDTH;
    return new Mlp.Spec(
        new int[] {e, TIME_HIDDEN, e},
        new Mlp.Act[] {Mlp.Act.MISH},
        false,
        Mlp.Init.PYTORCH_DEFAULT);
  }

  private static Mlp.Spec bodySpec(int obsDim, int actDim, int hidden) {
    int e = SinusoidalEmbedding.WIDTH;
    return new Mlp.Spec(
        new int[] {actDim + obsDim + e, hidden, hidden, hidden, hidden, actDim},
        new Mlp.Act[] {Mlp.Act.NONE, Mlp.Act.MISH, Mlp.Act.MISH, Mlp.Act.MISH},
        false,
        Mlp.Init.PYTORCH_DEFAULT);
  }

  /** Scalars in the time MLP and the body. */
  public static long parameterCount(int obsDim, int actDim, int hidden) {
    return timeSpec().parameterCount() + bodySpec(obsDim, actDim, hidden).parameterCount();
  }

  public static ScoreNetwork create(
      ParameterStore store,
      String prefix,
      int obsDim,
      int actDim,
      int hidden,
      RandomGenerator rng) {
    Mlp time = Mlp.create(store, prefix + "/time", timeSpec(), rng, true);
    Mlp body = Mlp.create(store, prefix + "/body", bodySpec(obsDim, actDim, hidden), rng, true);
    return new ScoreNetwork(time, body);
  }

  /**
   * F for a batch: scaledNoisy (B, actDim), state (B, obsDim), timeFeatures (B, 16) -> (B, actDim).
   * With {@code frozen} the network is a constant function (gradients reach only the inputs).
   */
  public NDArray forward(NDArray scaledNoisy, NDArray state, NDArray timeFeatures, boolean frozen) {
    NDArray t = frozen ? timeMlp.forwardFrozen(timeFeatures) : timeMlp.forward(timeFeatures);
    NDArray in = NDArrays.concat(new ai.djl.ndarray.NDList(scaledNoisy, state, t), 1);
    return frozen ? body.forwardFrozen(in) : body.forward(in);
  }

  public List<NDArray> parameters() {
    return parameters;
  }

  /** Multiply-accumulates per row of one forward pass (time MLP + body). */
  public long macsPerRow() {
    return timeMlp.macsPerRow() + body.macsPerRow();
  }
}
