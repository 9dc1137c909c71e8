package io.dtql.agent.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.dtql.agent.dtql.TensorData;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ParameterStoreTest {
  @Test
  void groupTensorsAreViewsOfTheFlatBufferInCreationOrder() {
    try (NDManager m = NDManager.newBaseManager();
        ParameterStore store = new ParameterStore(m, Map.of())) {
      store.beginGroup("g", 5);
      NDArray a = store.create("a", new long[] {2}, true, () -> new float[] {1f, 2f});
      NDArray b = store.create("b", new long[] {3, 1}, false, () -> new float[] {3f, 4f, 5f});
      NDArray flat = store.endGroup();
      assertArrayEquals(new float[] {1f, 2f, 3f, 4f, 5f}, flat.toFloatArray());
      flat.addi(10f);
      assertArrayEquals(new float[] {11f, 12f}, a.toFloatArray());
      assertArrayEquals(new float[] {13f, 14f, 15f}, b.toFloatArray());
      assertTrue(a.hasGradient());
      Map<String, TensorData> exported = store.export();
      assertEquals(2, exported.size()); // the flat buffer itself is not a named tensor
      assertArrayEquals(new long[] {3, 1}, exported.get("b").shape());
    }
  }

  @Test
  void groupSizeMismatchesAreReported() {
    try (NDManager m = NDManager.newBaseManager();
        ParameterStore store = new ParameterStore(m, Map.of())) {
      store.beginGroup("g", 3);
      store.create("a", new long[] {2}, false, () -> new float[2]);
      IllegalStateException e = assertThrows(IllegalStateException.class, store::endGroup);
      assertTrue(e.getMessage().contains("declared with 3"), e.getMessage());
    }
  }

  @Test
  void restoringTakesTheSavedDataAndChecksShapes() {
    try (NDManager m = NDManager.newBaseManager();
        ParameterStore store =
            new ParameterStore(
                m, Map.of("a", new TensorData(new long[] {2}, new float[] {7f, 8f})))) {
      NDArray a = store.create("a", new long[] {2}, false, () -> new float[] {0f, 0f});
      assertArrayEquals(new float[] {7f, 8f}, a.toFloatArray());
      assertThrows(
          IllegalArgumentException.class,
          () -> store.create("b", new long[] {1}, false, () -> new float[1]));
    }
  }
}
