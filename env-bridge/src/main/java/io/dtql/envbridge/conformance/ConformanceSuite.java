package io.dtql.envbridge.conformance;

import io.dtql.envbridge.EnvClient;
import io.dtql.envbridge.grpc.ClientOptions;
import io.dtql.envbridge.grpc.EnvClients;
import io.dtql.envbridge.grpc.RawEnvProbe;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Checks that a server at {@code host:port} keeps the v1 contract (env.proto), over the wire. Each
 * check uses fresh sessions and closes them. The server should be started with a small {@code
 * max_sessions} (the limit check opens that many sessions) and a task that ends episodes under
 * extreme actions, such as hopper.
 */
public final class ConformanceSuite {
  private final String target;
  private final String taskId;
  private final ClientOptions options;

  public ConformanceSuite(String target, String taskId, ClientOptions options) {
    this.target = Objects.requireNonNull(target, "target");
    this.taskId = Objects.requireNonNull(taskId, "taskId");
    this.options = Objects.requireNonNull(options, "options");
  }

  /** Every check, in the order they run. */
  public static List<Check> allChecks() {
    List<Check> checks = new ArrayList<>();
    checks.addAll(ProtocolChecks.checks());
    checks.addAll(SessionChecks.checks());
    checks.addAll(ActionChecks.checks());
    checks.addAll(SemanticsChecks.checks());
    checks.addAll(InfoChecks.checks());
    return List.copyOf(checks);
  }

  /** Runs every check; {@code onResult} sees each result as soon as it is known. */
  public List<CheckResult> run(Consumer<CheckResult> onResult) {
    List<CheckResult> results = new ArrayList<>();
    Consumer<CheckResult> record =
        r -> {
          results.add(r);
          onResult.accept(r);
        };
    EnvClient client;
    try {
      client = EnvClients.connect(target, options);
    } catch (RuntimeException e) {
      record.accept(new CheckResult("connect and handshake", false, describe(e)));
      return results;
    }
    try (client;
        EnvClient unaryClient = EnvClients.connect(target, options.withStepStream(false));
        RawEnvProbe probe = RawEnvProbe.connect(target, options)) {
      ConformanceContext context = new ConformanceContext(client, unaryClient, probe, taskId);
      for (Check check : allChecks()) {
        record.accept(runOne(check, context));
      }
    }
    return results;
  }

  public List<CheckResult> run() {
    return run(r -> {});
  }

  private static CheckResult runOne(Check check, ConformanceContext context) {
    try {
      return new CheckResult(check.name(), true, check.body().run(context));
    } catch (CheckFailure e) {
      return new CheckResult(check.name(), false, e.getMessage());
    } catch (Exception e) {
      return new CheckResult(check.name(), false, "unexpected " + describe(e));
    }
  }

  private static String describe(Exception e) {
    return e.getClass().getSimpleName() + ": " + e.getMessage();
  }
}
