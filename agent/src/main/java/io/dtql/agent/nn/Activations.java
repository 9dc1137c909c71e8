package io.dtql.agent.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;

/** The element-wise nonlinearities of the DTQL networks. */
public final class Activations {
  private Activations() {}

  /**
   * Mish, x * tanh(softplus(x)). Composed here rather than taken from DJL's {@code
   * Activation.mish}, whose default implementation uses log2(1 + e^x) instead of the natural log
   * and so computes a different function. Torch's native softplus is the fastest of the
   * formulations measured here (fwd+bwd on 256x256, interleaved in one process): exp/log with a
   * clamp, a sigmoid-based rational form and relu + log(1 + exp(-|x|)) were all 1.5-3x slower.
   */
  public static NDArray mish(NDArray x) {
    return x.mul(Activation.softPlus(x).tanh());
  }

  /**
   * Mish for a pass that records no gradient: the tanh result is multiplied in place, saving one
   * allocation per layer (measured about 20% faster on (1024, 256)). Must not be used where
   * autograd needs the tanh output.
   */
  public static NDArray mishNoGrad(NDArray x) {
    return Activation.softPlus(x).tanh().muli(x);
  }

  /** ReLU through the engine's native op. */
  public static NDArray relu(NDArray x) {
    return Activation.relu(x);
  }
}
