package io.dtql.envbridge;

/** Element type of a tensor on the wire; mirrors the contract's dtypes without the proto types. */
public enum DType {
  FLOAT32(4),
  FLOAT64(8),
  INT32(4),
  INT64(8),
  /** One byte per element, 0 or 1. */
  BOOL(1),
  UINT8(1);

  private final int itemSize;

  DType(int itemSize) {
    this.itemSize = itemSize;
  }

  /** Bytes per element. */
  public int itemSize() {
    return itemSize;
  }
}
