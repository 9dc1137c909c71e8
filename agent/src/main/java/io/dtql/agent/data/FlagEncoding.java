package io.dtql.agent.data;

/**
 * On-disk encoding of boolean flags (terminals, timeouts, ...) that a writer produces.
 *
 * <p>{@link #BOOL} is what jhdf 0.13 can write for {@code boolean[]}: an HDF5 1-byte bitfield,
 * which h5py reads back as uint8 0/1. jhdf cannot write h5py's numpy-bool enum ({FALSE=0, TRUE=1}
 * over int8); files in that encoding come from h5py and are read by the readers.
 */
public enum FlagEncoding {
  BOOL,
  INT8,
  INT32,
  INT64,
  FLOAT32,
  FLOAT64
}
