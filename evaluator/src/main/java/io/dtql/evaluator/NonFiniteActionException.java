package io.dtql.evaluator;

/** A policy produced NaN or an infinite action: a broken checkpoint, never sent to a simulator. */
public final class NonFiniteActionException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  public NonFiniteActionException(String message) {
    super(message);
  }
}
