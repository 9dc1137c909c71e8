package io.dtql.agent.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
  @TempDir Path dir;

  @Test
  void replacesTheTargetWithTheNewContents() throws IOException {
    Path target = dir.resolve("f.bin");
    AtomicFiles.write(target, new byte[] {1, 2, 3});
    AtomicFiles.write(target, new byte[] {4, 5});
    assertEquals(List.of((byte) 4, (byte) 5), boxed(Files.readAllBytes(target)));
    assertEquals(List.of(target), list());
  }

  @Test
  void failureMidWriteKeepsTheOldFileAndLeavesNoTemporary() throws IOException {
    Path target = dir.resolve("f.bin");
    AtomicFiles.write(target, new byte[] {7, 7, 7});
    IOException e =
        assertThrows(
            IOException.class,
            () ->
                AtomicFiles.write(
                    target,
                    out -> {
                      out.write(new byte[100_000]);
                      throw new IOException("disk full");
                    }));
    assertEquals("disk full", e.getMessage());
    assertEquals(List.of((byte) 7, (byte) 7, (byte) 7), boxed(Files.readAllBytes(target)));
    assertEquals(List.of(target), list());
  }

  @Test
  void failureOnAFirstWriteLeavesNothing() {
    Path target = dir.resolve("new.bin");
    assertThrows(
        RuntimeException.class,
        () ->
            AtomicFiles.write(
                target,
                out -> {
                  throw new IllegalStateException("boom");
                }));
    assertEquals(List.of(), list());
  }

  private List<Path> list() {
    try (Stream<Path> files = Files.list(dir)) {
      return files.toList();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static List<Byte> boxed(byte[] bytes) {
    Byte[] out = new Byte[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      out[i] = bytes[i];
    }
    return List.of(out);
  }
}
