package io.dtql.envbridge;

import io.grpc.Status;

/** The server refused a request as malformed (shape, dtype, NaN/Inf, bad env id or seeds). */
public class InvalidArgumentException extends EnvException {
  private static final long serialVersionUID = 1L;

  public InvalidArgumentException(String message, Throwable cause) {
    super(Status.Code.INVALID_ARGUMENT, message, cause);
  }
}
