package io.dtql.agent.dtql;

/**
 * The sizes a DTQL agent is built for: state and action dimensions and the action bound (actions
 * live in [-maxAction, maxAction] per element).
 */
public record ProblemShape(int obsDim, int actDim, float maxAction) {
  public ProblemShape {
    if (obsDim <= 0) {
      throw new IllegalArgumentException("obs-dim must be > 0, got " + obsDim);
    }
    if (actDim <= 0) {
      throw new IllegalArgumentException("act-dim must be > 0, got " + actDim);
    }
    if (!(maxAction > 0) || !Float.isFinite(maxAction)) {
      throw new IllegalArgumentException("max-action must be finite and > 0, got " + maxAction);
    }
  }
}
