package io.dtql.agent.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CloseablesTest {
  @Test
  void everyResourceIsClosedAndTheFirstFailureCarriesTheLaterOnes() {
    List<String> closed = new ArrayList<>();
    IllegalStateException boom = new IllegalStateException("first");
    IOException io = new IOException("second");
    List<AutoCloseable> resources =
        List.of(
            () -> {
              closed.add("a");
              throw boom;
            },
            () -> closed.add("b"),
            () -> {
              closed.add("c");
              throw io;
            });
    RuntimeException thrown =
        assertThrows(RuntimeException.class, () -> Closeables.closeAll(resources));
    assertSame(boom, thrown);
    assertEquals(List.of("a", "b", "c"), closed);
    assertSame(io, thrown.getSuppressed()[0]);
  }

  @Test
  void aCheckedFailureAloneIsWrapped() {
    IOException io = new IOException("disk");
    UncheckedIOException thrown =
        assertThrows(
            UncheckedIOException.class,
            () ->
                Closeables.closeAll(
                    List.of(
                        () -> {
                          throw io;
                        })));
    assertSame(io, thrown.getCause());
  }
}
