package io.dtql.agent.data;

/** On-disk precision of the float arrays a writer produces. */
public enum FloatPrecision {
  /** float32, as in D4RL random/medium/expert files. */
  FLOAT32,
  /** float64, as in D4RL medium-replay/full-replay files. */
  FLOAT64
}
