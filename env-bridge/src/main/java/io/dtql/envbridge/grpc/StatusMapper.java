package io.dtql.envbridge.grpc;

import io.dtql.envbridge.EnvDeadlineExceededException;
import io.dtql.envbridge.EnvException;
import io.dtql.envbridge.EnvUnavailableException;
import io.dtql.envbridge.FailedPreconditionException;
import io.dtql.envbridge.InvalidArgumentException;
import io.dtql.envbridge.NotFoundException;
import io.dtql.envbridge.ResourceExhaustedException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.function.Supplier;

/** The one place where gRPC status codes become the bridge's typed exceptions. */
final class StatusMapper {

  private final Supplier<String> unavailableDetail;

  /**
   * @param unavailableDetail extra context for UNAVAILABLE (e.g. a local server's exit code and
   *     stderr tail), or null/blank when there is none
   */
  StatusMapper(Supplier<String> unavailableDetail) {
    this.unavailableDetail = unavailableDetail;
  }

  EnvException map(String call, StatusRuntimeException error) {
    Status status = error.getStatus();
    String description = status.getDescription() == null ? "" : status.getDescription();
    String message = call + " failed with " + status.getCode() + ": " + description;
    return switch (status.getCode()) {
      case INVALID_ARGUMENT, OUT_OF_RANGE -> new InvalidArgumentException(message, error);
      case NOT_FOUND -> new NotFoundException(message, error);
      case FAILED_PRECONDITION -> new FailedPreconditionException(message, error);
      case RESOURCE_EXHAUSTED -> new ResourceExhaustedException(message, error);
      case DEADLINE_EXCEEDED -> new EnvDeadlineExceededException(message, error);
      case UNAVAILABLE -> new EnvUnavailableException(withDetail(message), error);
      default -> new EnvException(status.getCode(), message, error);
    };
  }

  private String withDetail(String message) {
    String detail = unavailableDetail == null ? null : unavailableDetail.get();
    return detail == null || detail.isBlank() ? message : message + "\n" + detail;
  }
}
