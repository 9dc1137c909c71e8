package io.dtql.envbridge.grpc;

import io.grpc.BindableService;
import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import java.io.IOException;

/** Real (network) gRPC servers for tests that need a port, not an in-process channel. */
public final class TestServers {
  private TestServers() {}

  /** Starts the services on a free loopback port, with grpc.health.v1 reporting SERVING. */
  public static Server servingOnFreePort(BindableService... services) throws IOException {
    HealthStatusManager health = new HealthStatusManager();
    health.setStatus("", ServingStatus.SERVING);
    ServerBuilder<?> builder = Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create());
    for (BindableService service : services) {
      builder.addService(service);
    }
    return builder.addService(health.getHealthService()).build().start();
  }
}
