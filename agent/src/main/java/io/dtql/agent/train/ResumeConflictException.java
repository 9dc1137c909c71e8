package io.dtql.agent.train;

/**
 * A flag given with {@code --resume} contradicts the run being resumed (a command-line mistake, not
 * a damaged file). The message names the flag.
 */
public final class ResumeConflictException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ResumeConflictException(String message) {
    super(message);
  }
}
