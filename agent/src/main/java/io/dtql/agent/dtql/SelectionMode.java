package io.dtql.agent.dtql;

/** How the one-step policy turns a state into an action at evaluation time. */
public enum SelectionMode {
  /**
   * The reference mode: sample N candidate actions from the policy, score each with the target
   * critic's min(Q1, Q2), draw one from softmax(Q) (temperature 1).
   */
  REFERENCE,
  /** The policy's mean action, tanh(mean) * maxAction: no randomness. */
  DETERMINISTIC
}
