package io.dtql.envbridge;

import io.grpc.Status;

/** Unknown task or session (a session may also have expired after its idle timeout). */
public class NotFoundException extends EnvException {
  private static final long serialVersionUID = 1L;

  public NotFoundException(String message, Throwable cause) {
    super(Status.Code.NOT_FOUND, message, cause);
  }
}
