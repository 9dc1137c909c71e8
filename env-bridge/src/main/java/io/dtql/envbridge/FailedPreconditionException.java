package io.dtql.envbridge;

import io.grpc.Status;

/** The request is valid but not now, e.g. a step before the first reset. */
public class FailedPreconditionException extends EnvException {
  private static final long serialVersionUID = 1L;

  public FailedPreconditionException(String message, Throwable cause) {
    super(Status.Code.FAILED_PRECONDITION, message, cause);
  }
}
