package io.dtql.envbridge;

import io.grpc.Status;

/** A call did not complete within its deadline. */
public class EnvDeadlineExceededException extends EnvException {
  private static final long serialVersionUID = 1L;

  public EnvDeadlineExceededException(String message, Throwable cause) {
    super(Status.Code.DEADLINE_EXCEEDED, message, cause);
  }
}
