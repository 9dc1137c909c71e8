package io.dtql.envbridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dtql.envbridge.EnvClient;
import io.dtql.envbridge.EnvUnavailableException;
import io.dtql.envbridge.SessionOptions;
import io.dtql.envbridge.StepResult;
import io.dtql.envbridge.VectorEnv;
import io.dtql.envbridge.grpc.ClientOptions;
import io.dtql.envbridge.grpc.EnvClients;
import io.dtql.envbridge.launcher.LocalEnvServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real Python server started with {@code --tls-cert/--tls-key} (a self-signed certificate made
 * with the openssl binary), and the Java client trusting it through {@link
 * ClientOptions#withTlsCaFile}.
 */
@Tag("e2e")
class TlsE2ETest {
  // Generous: a cold JVM's first TLS connection took 34 s on 2 shared cores at load average 9.
  private static final ClientOptions OPTIONS =
      ClientOptions.defaults().withCallDeadline(Duration.ofSeconds(120));

  @TempDir static Path dir;
  private static Process server;
  private static String address;
  private static Path cert;

  @BeforeAll
  static void startTlsServer() throws Exception {
    cert = selfSigned("server");
    Path key = dir.resolve("server.key");
    server =
        new ProcessBuilder(
                LocalEnvServer.defaultPython().toString(),
                "-m",
                "dtql_envserver",
                "--port",
                "0",
                "--tls-cert",
                cert.toString(),
                "--tls-key",
                key.toString(),
                "--log-level",
                "WARNING")
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    var stdout =
        new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
    String line = stdout.readLine();
    assertTrue(
        line != null && line.startsWith(LocalEnvServer.LISTENING_PREFIX), "first line: " + line);
    address = line.substring(LocalEnvServer.LISTENING_PREFIX.length()).trim();
  }

  @AfterAll
  static void stopServer() throws InterruptedException {
    if (server != null) {
      server.destroy();
      if (!server.waitFor(15, TimeUnit.SECONDS)) {
        server.destroyForcibly();
      }
    }
  }

  /** A self-signed certificate for localhost and 127.0.0.1; its key next to it. */
  private static Path selfSigned(String name) throws IOException, InterruptedException {
    Path certFile = dir.resolve(name + ".pem");
    Process openssl =
        new ProcessBuilder(
                List.of(
                    "openssl",
                    "req",
                    "-x509",
                    "-newkey",
                    "rsa:2048",
                    "-nodes",
                    "-days",
                    "2",
                    "-keyout",
                    dir.resolve(name + ".key").toString(),
                    "-out",
                    certFile.toString(),
                    "-subj",
                    "/CN=localhost",
                    "-addext",
                    "subjectAltName=DNS:localhost,IP:127.0.0.1"))
            .redirectErrorStream(true)
            .start();
    String output = new String(openssl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, openssl.waitFor(), "openssl failed: " + output);
    return certFile;
  }

  @Test
  void clientTrustingTheCaFileStepsOverTls() {
    try (EnvClient client = EnvClients.connect(address, OPTIONS.withTlsCaFile(cert));
        VectorEnv env = client.createSession("hopper", SessionOptions.of(2, 7))) {
      assertTrue(client.listTasks().stream().anyMatch(t -> t.taskId().equals("hopper")));
      env.reset();
      StepResult result = env.step(new float[2 * 3]);
      assertEquals(2, result.rewards().length);
    }
  }

  @Test
  void plaintextClientIsRefused() {
    assertThrows(EnvUnavailableException.class, () -> EnvClients.connect(address, OPTIONS).close());
  }

  @Test
  void clientTrustingAnotherCaIsRefused() throws Exception {
    Path other = selfSigned("other");
    assertThrows(
        EnvUnavailableException.class,
        () -> EnvClients.connect(address, OPTIONS.withTlsCaFile(other)).close());
  }
}
