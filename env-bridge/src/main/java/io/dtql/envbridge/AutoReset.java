package io.dtql.envbridge;

/** What a session does with an env whose episode ended; see env.proto for the exact semantics. */
public enum AutoReset {
  /** The next step that includes the env resets it and returns the new episode's first obs. */
  NEXT_STEP,
  /** Stepping an ended env fails until it is reset explicitly. */
  DISABLED
}
