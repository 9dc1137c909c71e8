package io.dtql.agent.dtql;

/**
 * A loss came out NaN or infinite. Thrown before any parameter is updated with it, so the agent's
 * parameters still hold the last finite state (earlier phases of the same step may have applied).
 */
public final class NonFiniteLossException extends RuntimeException {
  private final String lossName;
  private final long step;

  public NonFiniteLossException(String lossName, long step, double value) {
    super(
        "loss '"
            + lossName
            + "' is "
            + value
            + " at step "
            + step
            + "; refusing to update parameters with it");
    this.lossName = lossName;
    this.step = step;
  }

  public String lossName() {
    return lossName;
  }

  public long step() {
    return step;
  }
}
