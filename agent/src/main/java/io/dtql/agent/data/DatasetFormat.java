package io.dtql.agent.data;

/** The on-disk layouts {@link DatasetLoader} understands. */
public enum DatasetFormat {
  /** One HDF5 file with top-level observations/actions/rewards/terminals/timeouts arrays. */
  D4RL,
  /** A Minari directory (or HDF5 file) of {@code episode_<n>} groups. */
  MINARI
}
