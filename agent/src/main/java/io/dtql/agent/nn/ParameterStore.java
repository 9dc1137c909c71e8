package io.dtql.agent.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import io.dtql.agent.dtql.TensorData;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The long-lived named tensors of an agent (network parameters, target copies, optimiser moments),
 * all in one manager that outlives every training step. A tensor is created either from its
 * initialiser or, when the store restores a snapshot, from the snapshot's data, so a restored agent
 * never draws initial weights at all.
 */
public final class ParameterStore implements AutoCloseable {
  private final NDManager manager;
  private final Map<String, TensorData> restoreFrom;
  private final Map<String, NDArray> arrays = new LinkedHashMap<>();
  private NDArray groupFlat;
  private String groupName;
  private long groupOffset;

  /**
   * @param parent manager the store's own sub-manager hangs off
   * @param restoreFrom tensors to take instead of initialisers (empty for a fresh agent)
   */
  public ParameterStore(NDManager parent, Map<String, TensorData> restoreFrom) {
    this.manager = parent.newSubManager();
    this.restoreFrom = Map.copyOf(restoreFrom);
  }

  /**
   * Starts a group: every tensor created until {@link #endGroup} is a view into one flat buffer of
   * {@code size} scalars, in creation order. Optimisers and target updates then work on the flat
   * buffer with a handful of native calls instead of a dozen per tensor.
   */
  public void beginGroup(String name, long size) {
    if (groupFlat != null) {
      throw new IllegalStateException(
          "group '" + groupName + "' is still open; cannot begin group '" + name + "'");
    }
    if (size <= 0) {
      throw new IllegalArgumentException("group '" + name + "' size must be > 0, got " + size);
    }
    groupFlat = manager.zeros(new Shape(size));
    groupName = name;
    groupOffset = 0;
  }

  /** Closes the open group and returns its flat buffer (not itself a named, exported tensor). */
  public NDArray endGroup() {
    if (groupFlat == null) {
      throw new IllegalStateException("no group is open");
    }
    long size = groupFlat.size();
    if (groupOffset != size) {
      throw new IllegalStateException(
          "group '"
              + groupName
              + "' was declared with "
              + size
              + " scalars but its tensors hold "
              + groupOffset);
    }
    NDArray flat = groupFlat;
    groupFlat = null;
    return flat;
  }

  /** Creates (or restores) a tensor; trainable tensors get a gradient buffer. */
  public NDArray create(String name, long[] shape, boolean trainable, Supplier<float[]> init) {
    if (arrays.containsKey(name)) {
      throw new IllegalArgumentException("parameter '" + name + "' is already defined");
    }
    float[] data;
    TensorData saved = restoreFrom.get(name);
    if (!restoreFrom.isEmpty()) {
      if (saved == null) {
        throw new IllegalArgumentException("agent state has no tensor '" + name + "'");
      }
      if (!Arrays.equals(saved.shape(), shape)) {
        throw new IllegalArgumentException(
            "tensor '"
                + name
                + "' has shape "
                + Arrays.toString(saved.shape())
                + " in the agent state but the network needs "
                + Arrays.toString(shape));
      }
      data = saved.data();
    } else {
      data = init.get();
    }
    NDArray array;
    if (groupFlat == null) {
      array = manager.create(data, new Shape(shape));
    } else {
      array = groupView(name, data, shape);
    }
    array.setName(name);
    if (trainable) {
      array.setRequiresGradient(true);
    }
    arrays.put(name, array);
    return array;
  }

  private NDArray groupView(String name, float[] data, long[] shape) {
    long n = data.length;
    if (groupOffset + n > groupFlat.size()) {
      throw new IllegalStateException(
          "tensor '"
              + name
              + "' overflows group '"
              + groupName
              + "' of "
              + groupFlat.size()
              + " scalars");
    }
    NDArray view;
    try (NDArray slice = groupFlat.get(new NDIndex("{}:{}", groupOffset, groupOffset + n))) {
      view = slice.reshape(new Shape(shape)); // a view: shares the flat buffer's storage
    }
    try (NDArray source = manager.create(data, new Shape(shape))) {
      view.addi(source); // the flat buffer starts at zero
    }
    groupOffset += n;
    return view;
  }

  /** A tensor created earlier. */
  public NDArray get(String name) {
    NDArray array = arrays.get(name);
    if (array == null) {
      throw new IllegalArgumentException("no parameter named '" + name + "'");
    }
    return array;
  }

  /** The manager every long-lived tensor lives in (for array-count checks and detached views). */
  public NDManager manager() {
    return manager;
  }

  /** Copies every tensor to Java memory. */
  public Map<String, TensorData> export() {
    Map<String, TensorData> out = new LinkedHashMap<>();
    for (Map.Entry<String, NDArray> e : arrays.entrySet()) {
      NDArray a = e.getValue();
      out.put(e.getKey(), new TensorData(a.getShape().getShape(), a.toFloatArray()));
    }
    return out;
  }

  @Override
  public void close() {
    manager.close();
  }
}
