package io.dtql.agent.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * A fully connected network held as plain NDArrays: hidden layers Linear [-> LayerNorm] ->
 * activation, then a linear output layer. Besides the trainable arrays it keeps detached views of
 * the same storage ({@link #forwardFrozen}) for losses that must treat the network as a constant
 * function: gradients then reach the input but no parameter, and no weight gradient is computed.
 */
public final class Mlp {
  /** Nonlinearity after a hidden layer. NONE keeps a reference quirk of the score network. */
  public enum Act {
    NONE,
    MISH,
    RELU
  }

  /** How weights are drawn: PyTorch's nn.Linear default, or orthogonal with zero bias. */
  public enum Init {
    PYTORCH_DEFAULT,
    ORTHOGONAL
  }

  /**
   * @param widths input width, each hidden width, output width
   * @param hiddenActs one activation per hidden layer (widths.length - 2 of them)
   * @param layerNorm LayerNorm (eps 1e-5, affine) between each hidden Linear and its activation
   */
  public record Spec(int[] widths, Act[] hiddenActs, boolean layerNorm, Init init) {
    public Spec {
      if (widths.length < 2) {
        throw new IllegalArgumentException("widths needs input and output, got " + widths.length);
      }
      if (hiddenActs.length != widths.length - 2) {
        throw new IllegalArgumentException(
            "hidden-acts needs " + (widths.length - 2) + " entries, got " + hiddenActs.length);
      }
      for (int w : widths) {
        if (w <= 0) {
          throw new IllegalArgumentException("every width must be > 0, got " + w);
        }
      }
    }

    /** Number of scalars in all of this network's tensors (weights, biases, LayerNorm affine). */
    public long parameterCount() {
      long n = 0;
      for (int i = 0; i + 1 < widths.length; i++) {
        n += (long) widths[i] * widths[i + 1] + widths[i + 1];
        if (layerNorm && i + 2 < widths.length) {
          n += 2L * widths[i + 1];
        }
      }
      return n;
    }

    /** Three equal hidden layers with one activation, the shape of every DTQL network. */
    public static Spec threeHidden(int in, int hidden, int out, Act act, boolean ln, Init init) {
      return new Spec(
          new int[] {in, hidden, hidden, hidden, out}, new Act[] {act, act, act}, ln, init);
    }
  }

  private record Layer(NDArray weight, NDArray bias, NDArray lnGamma, NDArray lnBeta, Act act) {}

  private static final float LAYER_NORM_EPS = 1e-5f;

  private final Spec spec;
  private final List<Layer> layers;
  private final List<Layer> frozenLayers;
  private final List<NDArray> parameters;

  private Mlp(Spec spec, List<Layer> layers, List<NDArray> parameters) {
    this.spec = spec;
    this.layers = layers;
    this.parameters = Collections.unmodifiableList(parameters);
    List<Layer> frozen = new ArrayList<>();
    for (Layer l : layers) {
      frozen.add(
          new Layer(
              l.weight.stopGradient(),
              l.bias.stopGradient(),
              l.lnGamma == null ? null : l.lnGamma.stopGradient(),
              l.lnBeta == null ? null : l.lnBeta.stopGradient(),
              l.act));
    }
    this.frozenLayers = frozen;
  }

  /** Creates the network's tensors in the store under {@code prefix/<layer>/<param>}. */
  public static Mlp create(
      ParameterStore store, String prefix, Spec spec, RandomGenerator rng, boolean trainable) {
    List<Layer> layers = new ArrayList<>();
    List<NDArray> params = new ArrayList<>();
    int[] w = spec.widths();
    for (int i = 0; i + 1 < w.length; i++) {
      int in = w[i];
      int out = w[i + 1];
      String p = prefix + "/" + i + "/";
      NDArray weight;
      NDArray bias;
      if (spec.init() == Init.ORTHOGONAL) {
        weight =
            store.create(
                p + "weight",
                new long[] {out, in},
                trainable,
                () -> Initializers.orthogonal(rng, out, in));
        bias = store.create(p + "bias", new long[] {out}, trainable, () -> new float[out]);
      } else {
        weight =
            store.create(
                p + "weight",
                new long[] {out, in},
                trainable,
                () -> Initializers.uniformFanIn(rng, out * in, in));
        bias =
            store.create(
                p + "bias",
                new long[] {out},
                trainable,
                () -> Initializers.uniformFanIn(rng, out, in));
      }
      params.add(weight);
      params.add(bias);
      boolean hidden = i + 2 < w.length;
      NDArray gamma = null;
      NDArray beta = null;
      if (hidden && spec.layerNorm()) {
        gamma = store.create(p + "ln_gamma", new long[] {out}, trainable, () -> ones(out));
        beta = store.create(p + "ln_beta", new long[] {out}, trainable, () -> new float[out]);
        params.add(gamma);
        params.add(beta);
      }
      layers.add(new Layer(weight, bias, gamma, beta, hidden ? spec.hiddenActs()[i] : Act.NONE));
    }
    return new Mlp(spec, layers, params);
  }

  /**
   * A non-trainable network with the same spec whose tensors start as copies of {@code source} (a
   * target network); on restore they come from the saved state instead.
   */
  public static Mlp copyOf(ParameterStore store, String prefix, Mlp source) {
    List<Layer> layers = new ArrayList<>();
    List<NDArray> params = new ArrayList<>();
    for (int i = 0; i < source.layers.size(); i++) {
      Layer s = source.layers.get(i);
      String p = prefix + "/" + i + "/";
      NDArray weight = copy(store, p + "weight", s.weight);
      NDArray bias = copy(store, p + "bias", s.bias);
      params.add(weight);
      params.add(bias);
      NDArray gamma = null;
      NDArray beta = null;
      if (s.lnGamma != null) {
        gamma = copy(store, p + "ln_gamma", s.lnGamma);
        beta = copy(store, p + "ln_beta", s.lnBeta);
        params.add(gamma);
        params.add(beta);
      }
      layers.add(new Layer(weight, bias, gamma, beta, s.act));
    }
    return new Mlp(source.spec, layers, params);
  }

  private static NDArray copy(ParameterStore store, String name, NDArray source) {
    return store.create(name, source.getShape().getShape(), false, source::toFloatArray);
  }

  private static float[] ones(int n) {
    float[] a = new float[n];
    java.util.Arrays.fill(a, 1f);
    return a;
  }

  /** Forward pass recording gradients into the parameters (inside a GradientCollector). */
  public NDArray forward(NDArray x) {
    return run(layers, x);
  }

  /** Forward pass through detached views: the network acts as a constant function. */
  public NDArray forwardFrozen(NDArray x) {
    return run(frozenLayers, x);
  }

  /**
   * Forward pass for inputs that carry no gradient either (targets, action scoring): detached
   * weights and in-place activations, so no graph is recorded even inside a GradientCollector.
   *
   * <p>The guard below only catches a leaf that records gradients (a parameter passed by mistake):
   * DJL's {@code hasGradient()} is false for every intermediate result of a graph, so it cannot
   * tell whether {@code x} depends on trainable tensors. Callers must pass constants.
   */
  public NDArray forwardConstant(NDArray x) {
    if (x.hasGradient()) {
      throw new IllegalArgumentException("forwardConstant needs an input without gradient");
    }
    return run(frozenLayers, x, true);
  }

  private static NDArray run(List<Layer> layers, NDArray x) {
    return run(layers, x, false);
  }

  private static NDArray run(List<Layer> layers, NDArray x, boolean noGrad) {
    NDArray h = x;
    for (Layer l : layers) {
      h = Linear.linear(h, l.weight, l.bias).singletonOrThrow();
      if (l.lnGamma != null) {
        h =
            LayerNorm.layerNorm(
                    h,
                    new Shape(h.getShape().get(h.getShape().dimension() - 1)),
                    l.lnGamma,
                    l.lnBeta,
                    LAYER_NORM_EPS)
                .singletonOrThrow();
      }
      h =
          switch (l.act) {
            case NONE -> h;
            case MISH -> noGrad ? Activations.mishNoGrad(h) : Activations.mish(h);
            case RELU -> Activations.relu(h);
          };
    }
    return h;
  }

  /** Trainable (or, for a copy, target) tensors in a fixed order. */
  public List<NDArray> parameters() {
    return parameters;
  }

  public Spec spec() {
    return spec;
  }

  /** Multiply-accumulates per input row of one forward pass (for FLOP counting). */
  public long macsPerRow() {
    long macs = 0;
    int[] w = spec.widths();
    for (int i = 0; i + 1 < w.length; i++) {
      macs += (long) w[i] * w[i + 1];
    }
    return macs;
  }
}
