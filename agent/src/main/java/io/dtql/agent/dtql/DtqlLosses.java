package io.dtql.agent.dtql;

import ai.djl.ndarray.NDArray;
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
}
