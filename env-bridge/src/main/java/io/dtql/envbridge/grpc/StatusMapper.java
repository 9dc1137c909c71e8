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

  private final Supplier<String> deathReport;

  /**
   * @param deathReport for a server whose process we own: says how it died (exit code, stderr
   *     tail), or returns null while it is alive; null when there is no such process
   */
  StatusMapper(Supplier<String> deathReport) {
    this.deathReport = deathReport;
  }

  EnvException map(String call, StatusRuntimeException error) {
    Status status = error.getStatus();
    String description = status.getDescription() == null ? "" : status.getDescription();
    String message = call + " failed with " + status.getCode() + ": " + description;
    if (isTransportFailure(status.getCode())) {
      // A dying server surfaces as UNAVAILABLE, or as UNKNOWN/CANCELLED when a write races the
      // closing connection; either way the caller should hear that the server died, and why.
      String report = deathReport == null ? null : deathReport.get();
      if (report != null && !report.isBlank()) {
        return new EnvUnavailableException(message + "\n" + report, error);
      }
    }
    return switch (status.getCode()) {
      case INVALID_ARGUMENT, OUT_OF_RANGE -> new InvalidArgumentException(message, error);
      case NOT_FOUND -> new NotFoundException(message, error);
      case FAILED_PRECONDITION -> new FailedPreconditionException(message, error);
      case RESOURCE_EXHAUSTED -> new ResourceExhaustedException(message, error);
      case DEADLINE_EXCEEDED -> new EnvDeadlineExceededException(message, error);
      case UNAVAILABLE -> new EnvUnavailableException(message, error);
      default -> new EnvException(status.getCode(), message, error);
    };
  }

  private static boolean isTransportFailure(Status.Code code) {
    return code == Status.Code.UNAVAILABLE
        || code == Status.Code.UNKNOWN
        || code == Status.Code.CANCELLED;
  }
}
