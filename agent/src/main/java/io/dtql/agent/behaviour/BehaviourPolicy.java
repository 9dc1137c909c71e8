package io.dtql.agent.behaviour;

import io.dtql.agent.dtql.TensorData;
import io.dtql.agent.nn.SquashedGaussianActor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A trained SAC actor evaluated in plain Java: Linear/ReLU layers in double arithmetic, then the
 * tanh-Gaussian head with {@link StrictMath}. Java's arithmetic is specified to the bit and no
 * native kernel is involved, so the same weights, state and noise give the same action on every x86
 * machine: datasets collected with it can be byte-identical everywhere, which a native matmul
 * (whose kernels differ between CPUs in the last bits) cannot promise. The networks are small
 * (about 70k weights), so a forward pass costs tens of microseconds.
 */
public final class BehaviourPolicy {
  /** One action with the log-density the policy gave it. */
  public record Action(float[] action, double logProb) {}

  private static final double HALF_LOG_TWO_PI = 0.5 * StrictMath.log(2 * Math.PI);
  private static final double LOG_TWO = StrictMath.log(2);

  private final int obsDim;
  private final int actDim;
  private final float maxAction;
  private final List<double[]> weights = new ArrayList<>();
  private final List<double[]> biases = new ArrayList<>();
  private final List<int[]> shapes = new ArrayList<>(); // {out, in}

  /**
   * @param actor tensors named {@code actor/<layer>/weight} (out x in) and {@code
   *     actor/<layer>/bias}, layers numbered from 0, the last one giving mean and log-std
   */
  public BehaviourPolicy(Map<String, TensorData> actor, int obsDim, int actDim, float maxAction) {
    this.obsDim = obsDim;
    this.actDim = actDim;
    this.maxAction = maxAction;
    int in = obsDim;
    for (int layer = 0; actor.containsKey(name(layer, "weight")); layer++) {
      TensorData w = actor.get(name(layer, "weight"));
      TensorData b = actor.get(name(layer, "bias"));
      if (b == null || w.shape().length != 2 || w.shape()[1] != in) {
        throw new IllegalArgumentException(
            "actor layer "
                + layer
                + " has weight shape "
                + Arrays.toString(w.shape())
                + " (input width "
                + in
                + " expected) or no bias");
      }
      int out = (int) w.shape()[0];
      if (b.data().length != out) {
        throw new IllegalArgumentException(
            "actor layer " + layer + " bias has " + b.data().length + " values, expected " + out);
      }
      weights.add(toDouble(w.data()));
      biases.add(toDouble(b.data()));
      shapes.add(new int[] {out, in});
      in = out;
    }
    if (weights.isEmpty()) {
      throw new IllegalArgumentException("no actor layers (expected actor/0/weight ...)");
    }
    if (in != 2 * actDim) {
      throw new IllegalArgumentException(
          "the actor's last layer has " + in + " outputs, expected 2 x act-dim = " + 2 * actDim);
    }
  }

  private static String name(int layer, String param) {
    return "actor/" + layer + "/" + param;
  }

  private static double[] toDouble(float[] values) {
    double[] out = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = values[i];
    }
    return out;
  }

  public int obsDim() {
    return obsDim;
  }

  public int actDim() {
    return actDim;
  }

  /** Mean and clamped log-std (2 x actDim) for one state. */
  private double[] heads(double[] obs, int offset) {
    double[] h = new double[obsDim];
    System.arraycopy(obs, offset, h, 0, obsDim);
    for (int l = 0; l < weights.size(); l++) {
      int out = shapes.get(l)[0];
      int in = shapes.get(l)[1];
      double[] w = weights.get(l);
      double[] next = biases.get(l).clone();
      for (int o = 0; o < out; o++) {
        double sum = next[o];
        int row = o * in;
        for (int i = 0; i < in; i++) {
          sum += w[row + i] * h[i];
        }
        boolean hidden = l + 1 < weights.size();
        next[o] = hidden ? Math.max(0, sum) : sum;
      }
      h = next;
    }
    for (int j = actDim; j < 2 * actDim; j++) {
      h[j] =
          Math.min(
              SquashedGaussianActor.LOG_STD_MAX, Math.max(SquashedGaussianActor.LOG_STD_MIN, h[j]));
    }
    return h;
  }

  /** The deterministic action tanh(mean) * maxAction for the state at {@code obs[offset...]}. */
  public float[] meanAction(double[] obs, int offset) {
    double[] h = heads(obs, offset);
    float[] a = new float[actDim];
    for (int j = 0; j < actDim; j++) {
      a[j] = (float) (StrictMath.tanh(h[j]) * maxAction);
    }
    return a;
  }

  /**
   * An action drawn from the policy, tanh(mean + std * eps) * maxAction, and its log-density
   * (Gaussian log-density of the pre-squash value minus the log-Jacobian of the squashing).
   */
  public Action sample(double[] obs, int offset, StrictNormal noise) {
    double[] h = heads(obs, offset);
    float[] a = new float[actDim];
    double logProb = 0;
    for (int j = 0; j < actDim; j++) {
      double logStd = h[actDim + j];
      double eps = noise.next();
      double u = h[j] + StrictMath.exp(logStd) * eps;
      double t = StrictMath.tanh(u);
      a[j] = (float) (t * maxAction);
      // log(1 - tanh(u)^2) = 2 * (log 2 - u - softplus(-2u)), finite where tanh saturates.
      double logJacobian = 2 * (LOG_TWO - u - softplus(-2 * u));
      logProb += -0.5 * eps * eps - logStd - HALF_LOG_TWO_PI - logJacobian;
    }
    return new Action(a, logProb - actDim * StrictMath.log(maxAction));
  }

  private static double softplus(double x) {
    return x > 30 ? x : StrictMath.log1p(StrictMath.exp(x));
  }
}
