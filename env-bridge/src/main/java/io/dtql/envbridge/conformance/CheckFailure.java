package io.dtql.envbridge.conformance;

/** A conformance check found the server breaking the contract; the message says how. */
public final class CheckFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public CheckFailure(String message) {
    super(message);
  }
}
