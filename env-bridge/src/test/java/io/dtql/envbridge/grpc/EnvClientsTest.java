package io.dtql.envbridge.grpc;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnvClientsTest {
  @TempDir Path dir;

  @Test
  void plaintextIsTheDefault() {
    assertNull(ClientOptions.defaults().tlsCaFileOrNull());
    EnvClients.channel("127.0.0.1:1", ClientOptions.defaults()).shutdownNow();
  }

  @Test
  void missingCaFileIsAnIllegalArgumentNamingTheFile() {
    Path missing = dir.resolve("no-such-ca.pem");
    var error =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                EnvClients.channel("127.0.0.1:1", ClientOptions.defaults().withTlsCaFile(missing)));
    assertTrue(error.getMessage().contains("no-such-ca.pem"), error.getMessage());
  }

  @Test
  void caFileThatIsNoCertificateIsAnIllegalArgumentNamingTheFile() throws Exception {
    Path garbage = Files.writeString(dir.resolve("garbage.pem"), "not a certificate\n");
    var error =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                EnvClients.channel("127.0.0.1:1", ClientOptions.defaults().withTlsCaFile(garbage)));
    assertTrue(error.getMessage().contains("garbage.pem"), error.getMessage());
  }
}
