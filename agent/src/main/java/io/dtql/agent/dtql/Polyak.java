package io.dtql.agent.dtql;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;

/** Soft target-network update: target <- target + tau * (online - target), in place. */
public final class Polyak {
  private Polyak() {}

  /**
   * @param sm the step's manager: the temporaries are created in the parameters' manager (DJL puts
   *     an op's result in its first operand's manager) and moved here so they die with the step
   */
  public static void update(List<NDArray> target, List<NDArray> online, double tau, NDManager sm) {
    if (target.size() != online.size()) {
      throw new IllegalArgumentException(
          "target has " + target.size() + " tensors but online has " + online.size());
    }
    float t = (float) tau;
    for (int i = 0; i < online.size(); i++) {
      NDArray delta = online.get(i).sub(target.get(i));
      delta.attach(sm);
      target.get(i).addi(delta.muli(t));
    }
  }
}
