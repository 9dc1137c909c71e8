package io.dtql.envbridge;

import io.grpc.Status;

/**
 * A failed call to an environment server. Carries the gRPC status code and the server's own
 * message; the subclasses name the codes a caller is likely to handle.
 */
public class EnvException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final Status.Code code;

  public EnvException(Status.Code code, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  /** The gRPC status code of the failed call. */
  public Status.Code code() {
    return code;
  }
}
