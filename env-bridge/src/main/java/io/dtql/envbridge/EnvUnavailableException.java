package io.dtql.envbridge;

import io.grpc.Status;

/**
 * The server cannot be reached; for a local server the message includes its exit code and stderr
 * tail.
 */
public class EnvUnavailableException extends EnvException {
  private static final long serialVersionUID = 1L;

  public EnvUnavailableException(String message, Throwable cause) {
    super(Status.Code.UNAVAILABLE, message, cause);
  }
}
