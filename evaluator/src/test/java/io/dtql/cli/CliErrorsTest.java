package io.dtql.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

class CliErrorsTest {
  /** Fails the way its --fail flag says. */
  @Command(name = "probe", description = "A command that fails on request.")
  static final class Probe implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--fail")
    String fail = "none";

    @Option(names = "--count")
    int count;

    @Override
    public Integer call() {
      return switch (fail) {
        case "usage" -> throw new ParameterException(spec.commandLine(), "--fail usage was asked");
        case "state" -> throw new IllegalStateException("the disk is full");
        case "silent" -> throw new NullPointerException();
        case "argument" -> throw new IllegalArgumentException("a local check failed");
        default -> 0;
      };
    }
  }

  private record Run(int code, String err) {}

  private static Run run(CommandLine cli, String... args) {
    StringWriter err = new StringWriter();
    cli.setErr(new PrintWriter(err));
    cli.setOut(new PrintWriter(new StringWriter()));
    return new Run(cli.execute(args), err.toString());
  }

  private static Run run(String... args) {
    return run(CliErrors.install(new CommandLine(new Probe())), args);
  }

  @Test
  void aParseErrorExitsTwoWithThePrefixedMessageAndTheUsage() {
    Run result = run("--count", "many");

    assertEquals(2, result.code());
    assertTrue(
        result.err().startsWith("dtql: error: Invalid value for option '--count'"), result.err());
    assertTrue(result.err().contains("Usage: probe"), result.err());
  }

  @Test
  void aUsageErrorFoundByTheCommandExitsTwoWithTheUsage() {
    Run result = run("--fail", "usage");

    assertEquals(2, result.code());
    assertTrue(result.err().startsWith("dtql: error: --fail usage was asked\n"), result.err());
    assertTrue(result.err().contains("Usage: probe"), result.err());
  }

  @Test
  void anyOtherFailureExitsOneWithOneLineAndNoUsage() {
    for (String kind : new String[] {"state", "argument"}) {
      Run result = run("--fail", kind);

      assertEquals(1, result.code(), kind);
      assertEquals(1, result.err().strip().lines().count(), result.err());
      assertTrue(result.err().startsWith("dtql: error: "), result.err());
      assertFalse(result.err().contains("Usage:"), result.err());
    }
  }

  @Test
  void aFailureWithoutAMessageIsNamedByItsType() {
    assertEquals("dtql: error: java.lang.NullPointerException\n", run("--fail", "silent").err());
  }

  @Test
  void theDescriptionOfAFailureCanBeReplaced() {
    CommandLine cli =
        CliErrors.install(new CommandLine(new Probe()), e -> "probe says: " + e.getMessage());

    assertEquals("dtql: error: probe says: the disk is full\n", run(cli, "--fail", "state").err());
  }
}
