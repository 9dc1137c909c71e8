package io.dtql.agent.dtql;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

/** The critic-side losses of DTQL, written on NDArrays (each returns a scalar). */
public final class DtqlLosses {
  private DtqlLosses() {}

  /**
   * IQL expectile loss mean(|tau - 1(diff < 0)| * diff^2) with diff = q - v: positive errors weigh
   * tau, negative ones 1 - tau, so V tracks an upper expectile of Q for tau > 0.5.
   */
  public static NDArray expectile(NDArray diff, double tau) {
    NDArray negative = diff.lt(0).toType(DataType.FLOAT32, false);
    NDArray weight = negative.mul((float) (1 - 2 * tau)).add((float) tau);
    return weight.mul(diff.square()).mean();
  }

  /**
   * Bootstrapped Q target r + notDoneDiscount * vNext, where notDoneDiscount = (1 - done) *
   * discount per sample; vNext must already be detached.
   */
  public static NDArray qTarget(NDArray rewards, NDArray notDoneDiscount, NDArray vNext) {
    return rewards.add(notDoneDiscount.mul(vNext));
  }

  /** mean((prediction - target)^2). */
  public static NDArray mse(NDArray prediction, NDArray target) {
    return prediction.sub(target).square().mean();
  }

  /**
   * The actor loss alpha * trustRegion - mean(qPi) + gamma * nll ({@code nll} null when gamma is
   * 0).
   *
   * <p>The weights are tensors created in {@code sm}, which must stay open until backward has run.
   * Never write {@code loss.mul(alpha)} on a graph: DJL's {@code mul(Number)} wraps the number in a
   * tensor over a Java direct buffer and frees it right after the forward op, while autograd keeps
   * its storage for the backward pass; once the JVM collects the buffer, backward multiplies by
   * whatever the allocator put there (see GraphConstantLifetimeTest).
   */
  public static NDArray actorObjective(
      NDArray trustRegion, NDArray qPi, NDArray nll, double alpha, double gamma, NDManager sm) {
    NDArray loss = trustRegion.mul(sm.create((float) alpha)).sub(qPi.mean());
    if (nll != null) {
      loss = loss.add(nll.mul(sm.create((float) gamma)));
    }
    return loss;
  }
}
