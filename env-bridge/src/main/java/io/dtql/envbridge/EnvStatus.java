package io.dtql.envbridge;

/** Per-env outcome of one step. */
public enum EnvStatus {
  OK,
  /** The simulator went unstable during the step; the episode was ended as truncated. */
  PHYSICS_UNSTABLE
}
