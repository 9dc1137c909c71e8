package io.dtql.cli;

import io.dtql.envbridge.conformance.CheckResult;
import io.dtql.envbridge.conformance.ConformanceSuite;
import io.dtql.envbridge.grpc.ClientOptions;
import io.dtql.envbridge.launcher.LocalEnvServer;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code dtql conformance}: checks that a server keeps the v1 contract, over the wire. This is what
 * someone who puts their own simulator behind the proto runs against it.
 */
@Command(
    name = "conformance",
    mixinStandardHelpOptions = true,
    description = {
      "Check that a simulator server keeps the dtql.env.v1 contract.",
      "Runs the conformance suite against --target, or against a local python-env-server when no"
          + " target is given. Exit code 0 iff every check passes."
    })
final class ConformanceCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin SimulatorOptions simulator;

  @Option(
      names = "--task",
      description = "Task the checks open sessions of. Default: ${DEFAULT-VALUE}.")
  String task = "hopper";

  @Override
  public Integer call() {
    ClientOptions options = simulator.clientOptions();
    if (simulator.target() != null) {
      return runSuite(simulator.target(), options);
    }
    try (LocalEnvServer server = LocalEnvServer.start(simulator.launchOptions())) {
      return runSuite(server.address(), options);
    }
  }

  private int runSuite(String target, ClientOptions options) {
    PrintWriter out = spec.commandLine().getOut();
    List<CheckResult> results =
        new ConformanceSuite(target, task, options)
            .run(
                r -> {
                  out.println(r.line());
                  out.flush();
                });
    long passed = results.stream().filter(CheckResult::passed).count();
    out.println(passed + " passed, " + (results.size() - passed) + " failed");
    out.flush();
    return passed == results.size() ? 0 : 1;
  }
}
