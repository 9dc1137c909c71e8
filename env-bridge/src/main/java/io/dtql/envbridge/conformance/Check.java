package io.dtql.envbridge.conformance;

import java.util.Objects;

/** A named conformance check. */
public record Check(String name, Body body) {

  /** Runs the check; returns a short detail on success, throws {@link CheckFailure} otherwise. */
  @FunctionalInterface
  public interface Body {
    String run(ConformanceContext context) throws Exception;
  }

  public Check {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("name must not be blank, got '" + name + "'");
    }
    Objects.requireNonNull(body, "body");
  }
}
