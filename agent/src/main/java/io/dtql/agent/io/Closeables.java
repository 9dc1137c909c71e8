package io.dtql.agent.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/** Closing several resources at once, as try-with-resources does for a fixed number of them. */
public final class Closeables {
  private Closeables() {}

  /**
   * Closes every resource, also after one fails; the first failure is thrown with the later ones
   * suppressed in it (a checked one wrapped: {@link UncheckedIOException} for I/O).
   */
  public static void closeAll(List<? extends AutoCloseable> resources) {
    RuntimeException first = null;
    for (AutoCloseable resource : resources) {
      try {
        resource.close();
      } catch (Exception e) {
        RuntimeException failure = unchecked(e);
        if (first == null) {
          first = failure;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }

  private static RuntimeException unchecked(Exception e) {
    if (e instanceof RuntimeException runtime) {
      return runtime;
    }
    if (e instanceof IOException io) {
      return new UncheckedIOException(io);
    }
    return new IllegalStateException("close failed: " + e, e);
  }
}
