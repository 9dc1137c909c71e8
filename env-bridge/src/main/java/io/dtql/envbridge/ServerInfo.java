package io.dtql.envbridge;

import java.util.List;

/** What the server said about itself in the handshake. */
public record ServerInfo(
    int protocolMajor,
    int protocolMinor,
    String serverName,
    List<String> capabilities,
    int maxSessions,
    int maxEnvsPerSession,
    long maxMessageBytes,
    double defaultIdleTimeoutSeconds) {

  public ServerInfo {
    if (protocolMajor < 0 || protocolMinor < 0) {
      throw new IllegalArgumentException(
          "protocol version must be non-negative, got " + protocolMajor + "." + protocolMinor);
    }
    serverName = serverName == null ? "" : serverName;
    capabilities = capabilities == null ? List.of() : List.copyOf(capabilities);
  }

  public boolean hasCapability(String capability) {
    return capabilities.contains(capability);
  }
}
