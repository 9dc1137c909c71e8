package io.dtql.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class SimulatorOptionsTest {

  @Test
  void everyCommandWithTargetAlsoTakesTlsCa() {
    List<String> withTarget = new ArrayList<>();
    for (Map.Entry<String, CommandLine> sub : DtqlCli.commandLine().getSubcommands().entrySet()) {
      if (sub.getValue().getCommandSpec().findOption("--target") != null) {
        withTarget.add(sub.getKey());
        assertNotNull(
            sub.getValue().getCommandSpec().findOption("--tls-ca"), sub.getKey() + " --tls-ca");
      }
    }
    assertTrue(
        withTarget.containsAll(List.of("evaluate", "tasks", "conformance")), withTarget.toString());
  }

  @Test
  void tlsCaReachesTheClientOptions() {
    SimulatorOptions options = new SimulatorOptions();
    assertNull(options.clientOptions().tlsCaFileOrNull());
    options.targets = List.of("sim.example.org:50051");
    options.tlsCa = Path.of("ca.pem");
    assertEquals(Path.of("ca.pem"), options.clientOptions().tlsCaFileOrNull());
  }

  @Test
  void tlsCaWithoutTargetIsAUsageErrorBeforeAnyServerStarts() {
    SimulatorOptions options = new SimulatorOptions();
    options.tlsCa = Path.of("ca.pem");
    var error = assertThrows(IllegalArgumentException.class, options::clientOptions);
    assertTrue(error.getMessage().contains("--tls-ca ca.pem needs --target"), error.getMessage());
    assertEquals(2, DtqlCli.execute("tasks", "--tls-ca", "ca.pem"));
  }

  @Test
  void unreadableTlsCaIsAUsageErrorNamingTheFile() {
    StringWriter err = new StringWriter();
    CommandLine cli = DtqlCli.commandLine();
    cli.setErr(new PrintWriter(err));
    int code = cli.execute("tasks", "--target", "127.0.0.1:1", "--tls-ca", "/no/such/ca.pem");
    assertEquals(2, code, err.toString());
    assertTrue(err.toString().contains("/no/such/ca.pem"), err.toString());
  }
}
