package io.dtql.envbridge.conformance;

import java.util.Objects;

/** The outcome of one conformance check. */
public record CheckResult(String name, boolean passed, String detail) {

  public CheckResult {
    Objects.requireNonNull(name, "name");
    detail = detail == null ? "" : detail;
  }

  /** One report line: {@code PASS name - detail} or {@code FAIL name - detail}. */
  public String line() {
    return (passed ? "PASS " : "FAIL ") + name + (detail.isEmpty() ? "" : " - " + detail);
  }
}
